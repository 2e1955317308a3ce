/** The case file index (案卷目录) with its filing deadline. */
import { useCallback, useState } from 'react';
import type { CaseFileIndexDto } from '@shared/api/discs';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { ErrorBanner } from '../../ui/Banner';
import { LoadState } from '../../ui/LoadState';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { formatDateTime } from '../../ui/time';
import { useSectionT } from '../../i18n/section';
import { PdfLink, usePdf } from './PdfLink';

/** The case file index and its filing deadline, as a PDF. */
export function CaseFilePanel({ caseId }: { caseId: number }) {
  const t = useSectionT('discs');
  const client = useClient();
  const load = useCallback(() => client.invoke('caseFile.index', { caseId }), [client, caseId]);
  const index = useResource(load, { keepStale: true });
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === caseId) index.reload();
  });
  const [pdf, setPdf, href] = usePdf();
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  if (!index.data) return <LoadState error={index.error} onRetry={index.reload} />;
  const idx: CaseFileIndexDto = index.data;
  const date = idx.deadline ? formatDateTime(idx.deadline) : '';
  return (
    <div className="panel" data-testid="case-file-index">
      <h2 className="panel__title">{t('caseFile.title')}</h2>
      {idx.deadlineStatus === 'not_started' ? (
        <p className="muted">{t('caseFile.running', { days: idx.filingDays })}</p>
      ) : idx.deadlineStatus === 'filed' || idx.deadlineStatus === 'filed_late' ? (
        <p data-testid="filing-deadline">
          {t('caseFile.filed', { date: idx.filedAt ? formatDateTime(idx.filedAt) : '' })}
        </p>
      ) : idx.deadlineStatus === 'ok' ? (
        <p>{t('caseFile.deadline', { date, days: idx.filingDays })}</p>
      ) : (
        <p
          className={`discs__deadline discs__deadline--${idx.deadlineStatus}`}
          role="alert"
          data-testid="filing-deadline"
        >
          {t(idx.deadlineStatus === 'warn' ? 'caseFile.warn' : 'caseFile.overdue', { date })}
        </p>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('caseFile.at')}</th>
              <th scope="col">{t('caseFile.kind')}</th>
              <th scope="col">{t('caseFile.entry')}</th>
              <th scope="col">{t('caseFile.detail')}</th>
              <th scope="col">{t('caseFile.location')}</th>
            </tr>
          </thead>
          <tbody>
            {idx.entries.map((e, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>{e.at ? formatDateTime(e.at) : '—'}</td>
                <td>{t(`caseFile.kinds.${e.kind}`)}</td>
                <td>{e.title}</td>
                <td>{e.detail}</td>
                <td className="discs__mono">{e.location ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {banner ? <ErrorBanner message={banner} /> : null}
      <button
        type="button"
        className="button"
        onClick={() =>
          void client
            .invoke('caseFile.pdf', { caseId })
            .then(setPdf, (e: unknown) => setBanner(formFailure(e).banner))
        }
      >
        {t('caseFile.pdf')}
      </button>
      <PdfLink t={t} pdf={pdf} href={href} />
    </div>
  );
}
