import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetailDto } from '@shared/domain';
import { useUser } from '../auth/AuthContext';
import { DateTime } from '../../ui/DateTime';
import { Dialog } from '../../ui/Dialog';
import { useEnumLabel } from '../../ui/enumLabels';
import { canInvoke } from '../auth/permissions';
import { routeHref } from '../../app/route';
import { SessionForm } from './SessionForm';

/** 询问与听证 of the case: who took part in which role, where and when. */
export function SessionsPanel({
  detail,
  onNotice,
}: {
  detail: CaseDetailDto;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const label = useEnumLabel();
  const [opening, setOpening] = useState(false);

  return (
    <section aria-labelledby="sessions-title">
      <div className="panel__bar">
        <h2 id="sessions-title" className="panel__title">
          {t('sessions.title')}
        </h2>
        {canInvoke(user, 'sessions.create') ? (
          <button type="button" className="button" onClick={() => setOpening(true)}>
            {t('sessions.open')}
          </button>
        ) : null}
      </div>
      {detail.sessions.length === 0 ? (
        <p className="empty">{t('sessions.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="sessions-table">
            <thead>
              <tr>
                <th scope="col">{t('sessions.col.kind')}</th>
                <th scope="col">{t('sessions.col.status')}</th>
                <th scope="col">{t('sessions.col.place')}</th>
                <th scope="col">{t('sessions.col.scheduledAt')}</th>
                <th scope="col">{t('sessions.col.officers')}</th>
                <th scope="col">{t('sessions.col.participants')}</th>
                <th scope="col">{t('sessions.col.recorded')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.sessions.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {/* Opens the session screen: recording controls and the transcript. */}
                    <a href={routeHref({ name: 'session', caseId: detail.id, sessionId: s.id })}>
                      {label('sessionKind', s.kind)}
                    </a>
                  </th>
                  <td>
                    <span className={`tag tag--${s.status}`}>
                      {label('sessionStatus', s.status)}
                    </span>
                    {s.status === 'recording' ? (
                      <>
                        {' '}
                        <a href={routeHref({ name: 'live', caseId: detail.id, sessionId: s.id })}>
                          {t('live.title')}
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {s.place}
                    {s.room ? <span className="muted"> · {s.room}</span> : null}
                  </td>
                  <td>
                    <DateTime ms={s.scheduledAt} />
                  </td>
                  <td>
                    <ul className="inline-list">
                      {s.officers.map((o) => (
                        <li key={o.officerId}>
                          {o.name}
                          <span className="muted">（{label('officerSessionRole', o.role)}）</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <ul className="inline-list">
                      {s.participants.map((p, i) => (
                        <li key={`${p.partyId ?? 'n'}-${i}`}>
                          {p.name}
                          <span className="muted">（{label('participantRole', p.role)}）</span>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {/* Start and end of the recording: the times the written record must show (R2.4). */}
                    {s.startedAt ? (
                      <>
                        <DateTime ms={s.startedAt} />
                        {' – '}
                        {s.endedAt ? <DateTime ms={s.endedAt} /> : null}
                      </>
                    ) : (
                      t('common.none')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {opening ? (
        <Dialog title={t('sessions.formTitle')} onClose={() => setOpening(false)} wide>
          <SessionForm
            detail={detail}
            onCancel={() => setOpening(false)}
            onDone={(kind) => {
              setOpening(false);
              onNotice(t('sessions.created', { kind: label('sessionKind', kind) }));
            }}
          />
        </Dialog>
      ) : null}
    </section>
  );
}
