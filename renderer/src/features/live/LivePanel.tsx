/**
 * 实时转发 at the recording desk: forwards what the desk records to the live room (the
 * encoders' own frames; nothing is encoded for it) and shows who is watching, on what basis
 * and since when. A reloaded desk finds the room still open and forwards again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveInviteDto, LiveRemoteDto, LiveSource, LiveStatusDto } from '@shared/api/live';
import { PARTICIPANT_ROLES, type ParticipantRole } from '@shared/domain';
import { SelectField, TextField } from '../../ui/Field';
import { useEnumLabel } from '../../ui/enumLabels';
import { formatDateTime } from '../../ui/time';
import { useClient } from '../../app/ClientContext';
import { routeHref } from '../../app/route';
import { ErrorBanner } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { useCall } from '../../ui/useCall';
import { useSectionT } from '../../i18n/section';
import { formatSessionTime } from '../sessions/sessionTime';
import { DeskReceiver, type RemoteRecorder } from './deskReceiver';
import './live.css';

/** How often the desk reads who is watching and who takes part remotely. */
const POLL_MS = 1000;
/**
 * How often while remote participants are in the room: one who leaves is seen within this,
 * and their recording ends then (what arrives after they left is only silence).
 */
const REMOTE_POLL_MS = 400;

export interface LiveRecorder extends RemoteRecorder {
  liveSources(): LiveSource[] | null;
  setLive(on: boolean): void;
}

/** A one-time invitation for a remote participant; the link is shown once. */
function InviteForm({ sessionId }: { sessionId: number }) {
  const client = useClient();
  const t = useSectionT('live');
  const label = useEnumLabel();
  const call = useCall();
  const [name, setName] = useState('');
  const [role, setRole] = useState<ParticipantRole>('interpreter');
  const [invite, setInvite] = useState<LiveInviteDto | null>(null);
  return (
    <form
      className="live-desk__invite"
      onSubmit={(e) => {
        e.preventDefault();
        void call.run(() => client.invoke('live.invite', { sessionId, name, role }), setInvite);
      }}
    >
      <h3 className="live-desk__subtitle">{t('desk.inviteTitle')}</h3>
      {call.banner ? <ErrorBanner message={call.banner} /> : null}
      <TextField label={t('desk.inviteName')} value={name} onChange={setName} maxLength={60} />
      <SelectField
        label={t('desk.inviteRole')}
        value={role}
        onChange={setRole}
        options={PARTICIPANT_ROLES.map((r) => ({ value: r, label: label('participantRole', r) }))}
      />
      <button type="submit" className="button" disabled={call.busy || !name.trim()}>
        {t('desk.invite')}
      </button>
      {invite ? (
        <p role="status" className="live-desk__address">
          {t('desk.invited', { name: invite.name, at: formatDateTime(invite.expiresAt) })}
          <br />
          <code data-testid="live-invite-link">
            {invite.lanUrl ?? `${location.origin}${location.pathname}${invite.path}`}
          </code>
        </p>
      ) : null}
    </form>
  );
}

/**
 * A remote participant at the desk: who, since when, what they send, and their identity as
 * an officer checks it on video (the credential they hold up), which goes on the record.
 */
function RemoteLine({
  sessionId,
  remote: r,
  onChecked,
}: {
  sessionId: number;
  remote: LiveRemoteDto;
  onChecked: () => void;
}) {
  const client = useClient();
  const t = useSectionT('live');
  const label = useEnumLabel();
  const call = useCall();
  const [credential, setCredential] = useState('');
  return (
    <li data-testid={`live-remote-${r.remoteId}`}>
      <strong>{r.name}</strong> · {label('participantRole', r.role)} · <DateTime ms={r.since} />
      {r.producers.length ? ` · ${t('desk.sending')}` : ''}
      {r.identity ? (
        <p className="live-desk__identity" role="status">
          {t('desk.identityChecked', {
            credential: r.identity.credential,
            by: r.identity.checkedBy,
          })}
        </p>
      ) : (
        <form
          className="live-desk__identity"
          onSubmit={(e) => {
            e.preventDefault();
            void call.run(
              () =>
                client.invoke('live.checkIdentity', {
                  sessionId,
                  remoteId: r.remoteId,
                  credential,
                }),
              () => onChecked(),
            );
          }}
        >
          <p className="muted">{t('desk.identityUnchecked')}</p>
          {call.banner ? <ErrorBanner message={call.banner} /> : null}
          <TextField
            label={t('desk.credential')}
            value={credential}
            onChange={setCredential}
            maxLength={80}
          />
          <button
            type="submit"
            className="button"
            disabled={call.busy || credential.trim().length < 4}
          >
            {t('desk.checkIdentity')}
          </button>
        </form>
      )}
    </li>
  );
}

export function LivePanel({
  caseId,
  sessionId,
  recorder,
}: {
  caseId: number;
  sessionId: number;
  recorder: LiveRecorder;
}) {
  const client = useClient();
  const t = useSectionT('live');
  const call = useCall();
  const label = useEnumLabel();
  const { i18n } = useTranslation();
  const [status, setStatus] = useState<LiveStatusDto | null>(null);
  const sources = recorder.liveSources();
  const recording = sources !== null && sources.length > 0;

  const refresh = useCallback(
    () =>
      client
        .invoke('live.status', { sessionId })
        .then(setStatus)
        .catch(() => undefined),
    [client, sessionId],
  );
  const withRemotes = (status?.remotes.length ?? 0) > 0;
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), withRemotes ? REMOTE_POLL_MS : POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, withRemotes]);

  const open = async () => {
    const now = recorder.liveSources();
    if (!now?.length) return;
    await call.run(
      () => client.invoke('live.open', { sessionId, sources: now }),
      (s) => {
        recorder.setLive(true);
        setStatus(s);
      },
    );
  };

  // The remote participants' cameras and microphones are recorded here while the room is open.
  const receiving = status?.open === true && recording;
  const receiver = useRef<DeskReceiver | null>(null);
  useEffect(() => {
    if (!receiving) return;
    const r = new DeskReceiver(
      client,
      sessionId,
      recorder,
      (remote, kind) =>
        i18n.t(kind === 'video' ? 'recording.remoteCamera' : 'recording.remoteMicrophone', {
          name: remote.name,
          role: label('participantRole', remote.role),
        }),
      (e) => console.warn('remote participants not received', e),
    );
    receiver.current = r;
    return () => {
      receiver.current = null;
      r.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [receiving, client, sessionId]);
  useEffect(() => {
    if (status?.open) receiver.current?.sync(status.remotes);
  }, [status]);

  // A desk that came back (a reload) while the room stayed open forwards again from here.
  const reopen = status?.open === true && recording && status.sources.every((s) => !s.forwarding);
  useEffect(() => {
    if (reopen) void open();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reopen]);

  if (!recording && !status?.open) return null;
  const address = `${location.origin}${location.pathname}${routeHref({ name: 'live', caseId, sessionId })}`;
  return (
    <section className="panel live-desk" aria-labelledby="live-desk-title" data-testid="live-desk">
      <h2 id="live-desk-title" className="panel__title">
        {t('desk.title')}
      </h2>
      {call.banner ? <ErrorBanner message={call.banner} /> : null}
      {status?.open ? (
        <>
          <p role="status">{t('desk.on', { count: status.sources.length })}</p>
          <p className="live-desk__address">
            {t('desk.address')}：<code>{address}</code>
          </p>
          {status.lan ? (
            <dl className="live-desk__lan" data-testid="live-lan">
              <dt>{t('desk.lanAddress')}</dt>
              <dd>
                <code>{status.lan.watchUrl}</code>
              </dd>
              <dt>{t('desk.fingerprint')}</dt>
              <dd>
                <code className="live-desk__fingerprint">{status.lan.fingerprint}</code>
              </dd>
            </dl>
          ) : null}
          <h3 className="live-desk__subtitle">{t('desk.observers')}</h3>
          {status.observers.length === 0 ? (
            <p className="muted">{t('desk.none')}</p>
          ) : (
            <ul className="live-desk__observers" data-testid="live-observers">
              {status.observers.map((o) => (
                <li key={o.viewingId}>
                  <strong>{o.name}</strong> · {o.basis} · {t('desk.since')}{' '}
                  <DateTime ms={o.since} />
                </li>
              ))}
            </ul>
          )}
          {status.notes.length ? (
            <>
              <h3 className="live-desk__subtitle">{t('desk.notes')}</h3>
              <ul className="live-desk__notes" data-testid="live-notes">
                {status.notes.map((n) => (
                  <li key={`${n.at}-${n.name}`}>
                    <span className="muted">
                      {n.atUs === null ? '' : formatSessionTime(n.atUs / 1000)}
                    </span>{' '}
                    <strong>{n.name}</strong>：{n.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3 className="live-desk__subtitle">{t('desk.remotes')}</h3>
          {status.remotes.length === 0 ? (
            <p className="muted">{t('desk.noRemotes')}</p>
          ) : (
            <ul className="live-desk__observers" data-testid="live-remotes">
              {status.remotes.map((r) => (
                <RemoteLine key={r.remoteId} sessionId={sessionId} remote={r} onChecked={refresh} />
              ))}
            </ul>
          )}
          <InviteForm sessionId={sessionId} />
          <button
            type="button"
            className="button"
            disabled={call.busy}
            onClick={() =>
              void call.run(
                () => {
                  recorder.setLive(false);
                  return client.invoke('live.close', { sessionId });
                },
                () => void refresh(),
              )
            }
          >
            {t('desk.stop')}
          </button>
        </>
      ) : (
        <>
          <p className="muted">{t('desk.intro')}</p>
          <button type="button" className="button" disabled={call.busy} onClick={() => void open()}>
            {t('desk.start')}
          </button>
        </>
      )}
    </section>
  );
}
