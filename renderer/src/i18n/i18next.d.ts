import 'i18next';
import type { zhCN } from './strings';

// Typed keys: `t('cases.titel')` fails to compile, and enum labels built from template
// literals (`enums.phase.${phase}`) are checked against the domain's unions.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}
