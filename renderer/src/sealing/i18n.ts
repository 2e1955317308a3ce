/**
 * Messages of the seal panel and the storage settings: their own i18next namespace
 * (`sealing`), added to the app's instance on first use, with keys typed against zh-CN.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import sealingEn from '../i18n/sealing.en';
import sealingZhCN from '../i18n/sealing.zh-CN';

export const SEALING_NS = 'sealing';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key of the sealing screens, e.g. `verify.checks.payload`. */
export type SealingKey = Paths<typeof sealingZhCN>;

export type SealingT = (key: SealingKey, values?: Record<string, string | number>) => string;

export function registerSealingMessages(i18n: I18n): void {
  if (!i18n.hasResourceBundle('zh-CN', SEALING_NS))
    i18n.addResourceBundle('zh-CN', SEALING_NS, sealingZhCN);
  if (!i18n.hasResourceBundle('en', SEALING_NS))
    i18n.addResourceBundle('en', SEALING_NS, sealingEn);
}

export function useSealingT(): SealingT {
  const { i18n } = useTranslation();
  registerSealingMessages(i18n);
  const language = i18n.language;
  return useMemo(() => {
    // The namespace is added at run time, so the typed getFixedT does not know it.
    const getFixedT = i18n.getFixedT.bind(i18n) as unknown as (
      lng: string,
      ns: string,
    ) => (key: string, options?: object) => string;
    const fixed = getFixedT(language, SEALING_NS);
    return (key, values) => fixed(key, values);
  }, [i18n, language]);
}
