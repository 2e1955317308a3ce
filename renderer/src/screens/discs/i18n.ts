/**
 * Messages of the disc screen: their own i18next namespace (`discs`), added to the app's
 * instance on first use, with keys typed against zh-CN.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import discsEn from '../../i18n/discs.en';
import discsZhCN from '../../i18n/discs.zh-CN';

export const DISCS_NS = 'discs';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key of the disc screen, e.g. `plan.split`. */
export type DiscsKey = Paths<typeof discsZhCN>;

export type DiscsT = (key: DiscsKey, values?: Record<string, string | number>) => string;

export function registerDiscsMessages(i18n: I18n): void {
  if (!i18n.hasResourceBundle('zh-CN', DISCS_NS))
    i18n.addResourceBundle('zh-CN', DISCS_NS, discsZhCN);
  if (!i18n.hasResourceBundle('en', DISCS_NS)) i18n.addResourceBundle('en', DISCS_NS, discsEn);
}

export function useDiscsT(): DiscsT {
  const { i18n } = useTranslation();
  registerDiscsMessages(i18n);
  const language = i18n.language;
  return useMemo(() => {
    // The namespace is added at run time, so the typed getFixedT does not know it.
    const getFixedT = i18n.getFixedT.bind(i18n) as unknown as (
      lng: string,
      ns: string,
    ) => (key: string, options?: object) => string;
    const fixed = getFixedT(language, DISCS_NS);
    return (key, values) => fixed(key, values);
  }, [i18n, language]);
}
