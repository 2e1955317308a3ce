/**
 * A `t` for one section of the strings (`signing`, `sealing`, `storage`, `discs` …): keys
 * relative to the section, typed against its zh-CN table, for screens with many messages of
 * their own. It reads the same `translation` namespace as `useTranslation().t`.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Messages } from './strings';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

export type Section = keyof Messages;

/** Every message key of a section, relative to it, e.g. `verify.checks.payload`. */
export type SectionKey<S extends Section> = Paths<Messages[S]>;

export type SectionT<S extends Section> = (
  key: SectionKey<S>,
  values?: Record<string, string | number>,
) => string;

/** The current language's `t` for one section; a new one when the language changes. */
export function useSectionT<S extends Section>(section: S): SectionT<S> {
  const { t } = useTranslation();
  return useMemo(() => {
    // Keys built at run time from a typed section and key: the typed `t` cannot follow them.
    const translate = t as unknown as (key: string, options?: object) => string;
    return (key, values) => translate(`${section}.${key}`, values);
  }, [t, section]);
}
