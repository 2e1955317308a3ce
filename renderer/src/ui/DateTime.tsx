import { useTranslation } from 'react-i18next';
import { formatDateTime } from './time';

/** A UTC instant shown as local date and time, machine-readable in `dateTime`. */
export function DateTime({ ms }: { ms: number | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (ms === null || ms === undefined) return <>{t('common.none')}</>;
  return <time dateTime={new Date(ms).toISOString()}>{formatDateTime(ms, i18n.language)}</time>;
}
