import { useTranslation } from 'react-i18next';
import type { BannerMessage } from './fieldErrors';
import { useMessages } from './messages';

/** The error summary at the top of a form or screen. */
export function ErrorBanner({ message }: { message: BannerMessage }) {
  const { t, i18n } = useTranslation();
  const messages = useMessages();
  const detail =
    'detail' in message && message.key !== 'errors.unexpected' ? message.detail : undefined;
  return (
    <div className="banner banner--error" role="alert" tabIndex={-1}>
      <strong>{messages.banner(message)}</strong>
      {message.key === 'errors.code.INVALID_INPUT' && !detail ? (
        <span> {t('errors.fixFields')}</span>
      ) : null}
      {detail ? (
        // The core words its refusals for the record; one with no Chinese in it is kept
        // under 技术细节 in a Chinese interface, where the summary above speaks for it.
        i18n.language.startsWith('zh') && !/[\u3400-\u9fff]/.test(detail) ? (
          <details className="banner__detail">
            <summary>{t('errors.technical')}</summary>
            {detail}
          </details>
        ) : (
          <span className="banner__detail">{detail}</span>
        )
      ) : null}
      {message.key === 'app.connectionLost' ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => window.location.reload()}
        >
          {t('app.reload')}
        </button>
      ) : null}
    </div>
  );
}

/** A quiet confirmation that something was saved, read out by screen readers. */
export function Notice({ text }: { text: string | null }) {
  return (
    <p className="notice" role="status">
      {text}
    </p>
  );
}
