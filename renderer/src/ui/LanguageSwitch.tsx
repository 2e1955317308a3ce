import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';

const NAMES: Record<Language, 'lang.zh' | 'lang.en'> = { 'zh-CN': 'lang.zh', en: 'lang.en' };

/** 中文 / English. Each button names its language in that language, so anyone can find theirs. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          className="lang-switch__button"
          aria-pressed={i18n.language === lng}
          onClick={() => void i18n.changeLanguage(lng)}
        >
          {t(NAMES[lng])}
        </button>
      ))}
    </div>
  );
}
