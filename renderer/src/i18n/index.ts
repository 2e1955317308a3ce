/**
 * i18next set-up: zh-CN first, English second, every feature's strings (i18n/strings.ts) in
 * one namespace, bundled, so init is synchronous. The chosen language is kept in
 * localStorage so a shared workstation opens in the language its users chose last.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, zhCN } from './strings';
import { LANGUAGES, type Language } from './types';

export { LANGUAGES, type Language };

export const LANGUAGE_STORAGE_KEY = 'attest.language';
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Reads the stored choice; storage may be unavailable (privacy mode), which is not an error. */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | undefined): Language {
  try {
    const value = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** Creates and initialises an instance (resources are bundled, so init is synchronous). */
export function createI18n(language: Language = storedLanguage(browserStorage())): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
  });
  syncDocumentLanguage(language);
  instance.on('languageChanged', (lng) => {
    if (!isLanguage(lng)) return;
    syncDocumentLanguage(lng);
    try {
      browserStorage()?.setItem(LANGUAGE_STORAGE_KEY, lng);
    } catch {
      // Storage full or blocked: the choice simply lasts for this page only.
    }
  });
  return instance;
}

/** `<html lang>` drives CJK glyph selection and screen-reader pronunciation. */
function syncDocumentLanguage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** BCP 47 locale used for dates and numbers in each UI language. */
export function localeOf(language: string): string {
  return language === 'en' ? 'en-GB' : 'zh-CN';
}
