/**
 * The signing pages' messages: their own i18next namespace (`signing`), added to the app's
 * instance on first use, with keys typed against zh-CN.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import signingEn from '../i18n/signing.en';
import signingZhCN from '../i18n/signing.zh-CN';

export const SIGNING_NS = 'signing';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key of the signing pages, e.g. `party.review.next`. */
export type SigningKey = Paths<typeof signingZhCN>;

export type SigningT = (key: SigningKey, values?: Record<string, string | number>) => string;

export function registerSigningMessages(i18n: I18n): void {
  if (!i18n.hasResourceBundle('zh-CN', SIGNING_NS))
    i18n.addResourceBundle('zh-CN', SIGNING_NS, signingZhCN);
  if (!i18n.hasResourceBundle('en', SIGNING_NS))
    i18n.addResourceBundle('en', SIGNING_NS, signingEn);
}

export function useSigningT(): SigningT {
  const { i18n } = useTranslation();
  registerSigningMessages(i18n);
  const language = i18n.language;
  return useMemo(() => {
    // The namespace is added at run time, so the typed getFixedT does not know it.
    const getFixedT = i18n.getFixedT.bind(i18n) as unknown as (
      lng: string,
      ns: string,
    ) => (key: string, options?: object) => string;
    const fixed = getFixedT(language, SIGNING_NS);
    return (key, values) => fixed(key, values);
  }, [i18n, language]);
}
