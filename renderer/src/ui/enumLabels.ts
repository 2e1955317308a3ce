import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ENUM_SECTIONS, type EnumSection, type EnumValue } from '../i18n/enums';
import type { Option } from './Field';

/**
 * Labels of domain enum values. The key is built at run time from the section and value,
 * which the typed `t` cannot follow through generics; tests/renderer/i18n.test.ts proves
 * every (section, value) pair has a label in every language.
 */
export function useEnumLabel() {
  const { t } = useTranslation();
  return useCallback(
    <S extends EnumSection>(section: S, value: EnumValue<S>): string =>
      (t as unknown as (key: string) => string)(`enums.${section}.${value}`),
    [t],
  );
}

export function useEnumOptions<S extends EnumSection>(
  section: S,
  only?: readonly EnumValue<S>[],
): Option<EnumValue<S>>[] {
  const label = useEnumLabel();
  return useMemo(
    () =>
      (ENUM_SECTIONS[section] as readonly EnumValue<S>[])
        .filter((v) => !only || only.includes(v))
        .map((value) => ({ value, label: label(section, value) })),
    [label, section, only],
  );
}
