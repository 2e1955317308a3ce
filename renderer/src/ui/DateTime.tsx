import { useTranslation } from 'react-i18next';
import { formatDateTime } from './time';

/** A UTC instant shown in the agency's zone and the app's format, machine-readable in `dateTime`. */
export function DateTime({
  ms,
  seconds = true,
}: {
  ms: number | null | undefined;
  seconds?: boolean;
}) {
  const { t } = useTranslation();
  if (ms === null || ms === undefined) return <>{t('common.none')}</>;
  return <time dateTime={new Date(ms).toISOString()}>{formatDateTime(ms, seconds)}</time>;
}
