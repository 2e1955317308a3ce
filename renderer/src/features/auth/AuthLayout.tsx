import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../ui/LanguageSwitch';

/** The quiet frame of the setup and sign-in screens: the app's name, the form, the language. */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth">
      <div className="auth__lang">
        <LanguageSwitch />
      </div>
      <main className="auth__card">
        <p className="auth__app">{t('app.name')}</p>
        <h1 className="auth__title">{title}</h1>
        {children}
      </main>
    </div>
  );
}
