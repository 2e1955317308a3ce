import { useTranslation } from 'react-i18next';
import { formFailure } from './fieldErrors';
import { ErrorBanner } from './Banner';

/** What a screen shows before its data arrives, or when loading failed. */
export function LoadState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (error === undefined)
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  const { banner } = formFailure(error);
  return (
    <div>
      {banner ? <ErrorBanner message={banner} /> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
