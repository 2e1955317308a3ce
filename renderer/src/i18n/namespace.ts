/**
 * Message namespaces added at run time (signing, sealing, discs): each screen's messages in
 * their own i18next namespace, registered on first use, with keys typed against zh-CN.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key of a namespace's zh-CN resource, e.g. `verify.checks.payload`. */
export type MessageKey<Messages> = Paths<Messages>;

export type NamespaceT<Messages> = (
  key: MessageKey<Messages>,
  values?: Record<string, string | number>,
) => string;

export interface Namespace<Messages> {
  name: string;
  register(i18n: I18n): void;
  useT(): NamespaceT<Messages>;
}

/** A namespace with its zh-CN messages (the key source) and the English typed against them. */
export function messageNamespace<Messages extends object>(
  name: string,
  zhCN: Messages,
  en: Messages,
): Namespace<Messages> {
  const register = (i18n: I18n) => {
    if (!i18n.hasResourceBundle('zh-CN', name)) i18n.addResourceBundle('zh-CN', name, zhCN);
    if (!i18n.hasResourceBundle('en', name)) i18n.addResourceBundle('en', name, en);
  };
  return {
    name,
    register,
    useT() {
      const { i18n } = useTranslation();
      register(i18n);
      const language = i18n.language;
      return useMemo(() => {
        // The namespace is added at run time, so the typed getFixedT does not know it.
        const getFixedT = i18n.getFixedT.bind(i18n) as unknown as (
          lng: string,
          ns: string,
        ) => (key: string, options?: object) => string;
        const fixed = getFixedT(language, name);
        return (key, values) => fixed(key, values);
      }, [i18n, language]);
    },
  };
}
