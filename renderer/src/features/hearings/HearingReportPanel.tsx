/**
 * The hearing report on an ended hearing's page (听证报告): the four sections the moderator
 * writes, saved as versions, then signed by the moderator in person (signed in, or with their
 * own username and password at this desk). Signed, it is final and the seal carries it.
 */
import { useCallback, useState } from 'react';
import type { HearingReportContent, HearingReportDto } from '@shared/api/hearings';
import type { OfficerConfirmation, SessionDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner } from '../../ui/Banner';
import { TextAreaField } from '../../ui/Field';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { formatDateTime } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import {
  confirmationReady,
  EMPTY_CONFIRMATION,
  OfficerConfirmFields,
} from '../auth/OfficerConfirmFields';

const SECTIONS = ['investigatorCase', 'partyCase', 'findings', 'recommendation'] as const;
const EMPTY: HearingReportContent = {
  investigatorCase: '',
  partyCase: '',
  findings: '',
  recommendation: '',
};

export function HearingReportPanel({ session }: { session: SessionDto }) {
  const client = useClient();
  const hearing = session.kind === 'hearing';
  // Only a hearing has a report: other sessions ask nothing.
  const load = useCallback(
    () =>
      hearing ? client.invoke('hearings.report', { sessionId: session.id }) : Promise.resolve(null),
    [client, session.id, hearing],
  );
  const report = useResource(load);
  useCoreEvent('hearings.reportChanged', (e) => {
    if (e.sessionId === session.id) report.reload();
  });
  if (!hearing || session.status === 'planned' || session.status === 'recording') return null;
  if (report.data === undefined) return null;
  return (
    <ReportForm
      // A new version read from the core starts the form from it.
      key={report.data ? `${report.data.version}:${report.data.signed ? 's' : ''}` : 'none'}
      session={session}
      report={report.data}
      onChanged={report.reload}
    />
  );
}

function ReportForm({
  session,
  report,
  onChanged,
}: {
  session: SessionDto;
  report: HearingReportDto | null;
  onChanged: () => void;
}) {
  const t = useSectionT('hearings');
  const client = useClient();
  const me = useUser();
  const [draft, setDraft] = useState<HearingReportContent>(report?.content ?? EMPTY);
  const [confirmation, setConfirmation] = useState<OfficerConfirmation>(EMPTY_CONFIRMATION);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const moderator = session.officers.find((o) => o.role === 'moderator');
  const signed = report?.signed ?? null;
  const dirty = SECTIONS.some((k) => draft[k] !== (report?.content[k] ?? ''));
  const isModerator = me?.officerId != null && me.officerId === moderator?.officerId;

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setBanner(null);
    try {
      await fn();
      onChanged();
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="hearing-report-title" data-testid="hearing-report">
      <h2 id="hearing-report-title" className="panel__title">
        {t('report.title')}
      </h2>
      <p className="muted">{t('report.intro')}</p>
      {banner ? <ErrorBanner message={banner} /> : null}
      {SECTIONS.map((k) =>
        signed ? (
          <div key={k} className="hearing-report__section">
            <h3>{t(`report.sections.${k}`)}</h3>
            <p>{report!.content[k]}</p>
          </div>
        ) : (
          <TextAreaField
            key={k}
            label={t(`report.sections.${k}`)}
            rows={3}
            value={draft[k]}
            onChange={(v) => setDraft((d) => ({ ...d, [k]: v }))}
            required
          />
        ),
      )}
      {report ? (
        <p className="muted" data-testid="hearing-report-version">
          {t('report.saved', {
            version: report.version,
            by: report.writtenBy,
            at: formatDateTime(report.writtenAt),
          })}
        </p>
      ) : (
        <p className="muted">{t('report.none')}</p>
      )}
      {signed ? (
        <div data-testid="hearing-report-signed">
          <p>
            <strong>
              {t('report.signed', {
                name: report!.moderator.name,
                presence: t(`report.presence.${signed.presence as 'password'}`),
                at: formatDateTime(signed.at),
              })}
            </strong>
          </p>
          <p className="muted">{t('report.file', { path: signed.path })}</p>
          <p className="muted sign__hash">{t('report.sha256', { sha256: signed.sha256 })}</p>
        </div>
      ) : (
        <>
          <button
            type="button"
            className="button"
            disabled={busy || !dirty || SECTIONS.some((k) => draft[k].trim().length < 2)}
            onClick={() =>
              void run(() =>
                client.invoke('hearings.saveReport', { sessionId: session.id, content: draft }),
              )
            }
          >
            {t('report.save')}
          </button>
          {report && moderator ? (
            <div className="hearing-report__sign">
              <p className="muted">
                {dirty ? t('report.unsaved') : t('report.signHint', { version: report.version })}
              </p>
              {isModerator ? null : (
                <OfficerConfirmFields
                  officerName={moderator.name}
                  value={confirmation}
                  onChange={setConfirmation}
                  testId="hearing-report-confirm"
                />
              )}
              <button
                type="button"
                className="button button--primary"
                disabled={busy || dirty || (!isModerator && !confirmationReady(confirmation))}
                onClick={() =>
                  void run(() =>
                    client.invoke('hearings.signReport', {
                      sessionId: session.id,
                      version: report.version,
                      ...(isModerator ? {} : { confirmation }),
                    }),
                  )
                }
              >
                {t('report.sign', { name: moderator.name })}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
