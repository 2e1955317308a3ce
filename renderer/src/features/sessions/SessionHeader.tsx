/**
 * The session screen's header: what session this is and its status, the controls that move
 * it on (start, resume or abandon after an interruption, sign, end), and who, where and when.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetailDto, SessionDto } from '@shared/domain';
import { routeHref } from '../../app/route';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel } from '../../ui/enumLabels';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { formatSessionTime, sessionTimeAt, type CoreClock } from './sessionTime';

/** What a header control asks the screen to open. */
export type SessionAction = 'start' | 'end' | 'resume' | 'abandon';

export function SessionHeader({
  session,
  detail,
  clock,
  onAction,
}: {
  session: SessionDto;
  detail: CaseDetailDto;
  clock: CoreClock;
  onAction: (action: SessionAction) => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const user = useUser();
  const { kind, status, startedAt, endedAt } = session;
  const live = status === 'recording';
  const parties = session.participants;
  return (
    <header className="session__head">
      <div className="session__title">
        <a className="back-link" href={routeHref({ name: 'case', id: detail.id, tab: 'sessions' })}>
          ‹ {t('session.back', { caseNo: detail.caseNo })}
        </a>
        <h1 id="session-title">
          {t('session.title', { kind: label('sessionKind', kind), caseNo: detail.caseNo })}
        </h1>
        <p className="case__tags">
          <span className={`tag tag--${status}`} data-testid="session-status">
            {label('sessionStatus', status)}
          </span>
          <span className="muted">{detail.cause}</span>
        </p>
      </div>
      <div className="session__controls">
        {status === 'recording' && startedAt !== null ? (
          <RecordingIndicator startedAt={startedAt} clock={clock} />
        ) : null}
        {status === 'planned' ? <p className="muted">{t('session.planned')}</p> : null}
        {status !== 'planned' &&
        status !== 'recording' &&
        startedAt !== null &&
        endedAt !== null ? (
          <p className="session__ended">
            {t('session.ended')} · {t('session.duration')}{' '}
            <time>{formatSessionTime(endedAt - startedAt)}</time>
          </p>
        ) : null}
        {status === 'planned' && canInvoke(user, 'sessions.start') ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => onAction('start')}
          >
            {t('session.start')}
          </button>
        ) : null}
        {status === 'interrupted' && canInvoke(user, 'sessions.resume') ? (
          <>
            <p className="session__interrupted" role="status">
              {t('recording.interrupted')}
            </p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => onAction('resume')}
            >
              {t('recording.resume')}
            </button>
            <button type="button" className="button" onClick={() => onAction('abandon')}>
              {t('recording.abandon')}
            </button>
          </>
        ) : null}
        {(status === 'ended' || status === 'sealed') && canInvoke(user, 'signing.open') ? (
          <a
            className="button button--primary"
            href={routeHref({ name: 'deskSigning', sessionId: session.id })}
          >
            {t('session.signing')}
          </a>
        ) : null}
        {live && canInvoke(user, 'sessions.end') ? (
          <button type="button" className="button button--danger" onClick={() => onAction('end')}>
            {t('session.end')}
          </button>
        ) : null}
      </div>
      <dl className="session__facts">
        <div className="facts__item">
          <dt>{t('session.place')}</dt>
          <dd>
            {session.place}
            {session.room ? ` · ${session.room}` : ''}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('session.officers')}</dt>
          <dd>
            <ul className="inline-list">
              {session.officers.map((o) => (
                <li key={o.officerId}>
                  {o.name}
                  <span className="muted">
                    （{label('officerSessionRole', o.role)}，
                    {t('session.certificate', { no: o.certificateNo })}）
                  </span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('session.parties')}</dt>
          <dd>
            {parties.length ? (
              <ul className="inline-list">
                {parties.map((p, i) => (
                  <li key={`${p.partyId ?? 'n'}-${i}`}>
                    {p.name}
                    <span className="muted">（{label('participantRole', p.role)}）</span>
                  </li>
                ))}
              </ul>
            ) : (
              t('session.noParty')
            )}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('session.startedAt')}</dt>
          <dd>
            <DateTime ms={startedAt} />
          </dd>
        </div>
        <div className="facts__item">
          <dt>{t('session.endedAt')}</dt>
          <dd>
            <DateTime ms={endedAt} />
          </dd>
        </div>
      </dl>
    </header>
  );
}

/** ● 录制中 and the elapsed session time, ticking; only this re-renders every half second. */
function RecordingIndicator({ startedAt, clock }: { startedAt: number; clock: CoreClock }) {
  const { t } = useTranslation();
  const [elapsed, setElapsed] = useState(() => sessionTimeAt(clock.now(), startedAt));
  useEffect(() => {
    const timer = setInterval(() => setElapsed(sessionTimeAt(clock.now(), startedAt)), 250);
    return () => clearInterval(timer);
  }, [clock, startedAt]);
  return (
    <p className="rec" data-testid="recording-indicator">
      <span className="rec__dot" aria-hidden="true" />
      <span className="rec__label">{t('session.recording')}</span>
      {/* role="timer" is not announced on every tick (its live region is off). */}
      <span className="rec__time" role="timer" aria-label={t('session.elapsed')}>
        {formatSessionTime(elapsed)}
      </span>
    </p>
  );
}
