/**
 * One session (询问 / 听证 …) while it is conducted: who, where and when in the header; the
 * recording controls; the camera area (filled by the recording issue); the procedure
 * checklist; and the running transcript beside them, all on the one session clock.
 */
import { useCallback, useEffect, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetailDto, SessionDto } from '@shared/domain';
import { missingSteps, type MarkerKind, type TranscriptAction } from '@shared/rules/transcript';
import type { Client } from '../../app/connect';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel } from '../../ui/enumLabels';
import { LoadState } from '../../ui/LoadState';
import { canInvoke } from '../auth/permissions';
import { routeHref } from '../../app/route';
import { createCoreClock, formatSessionTime, sessionTimeAt, type CoreClock } from './sessionTime';
import { newId } from '../transcript/ids';
import { localPendingStore, windowId } from '../transcript/pendingStorage';
import { lostText } from '../transcript/queue';
import { commandFor, keyLike, shortcutHelp } from '../transcript/shortcuts';
import { TranscriptStore, type TranscriptBackend } from '../transcript/store';
import type { PaneController } from '../transcript/paneController';
import { ProcedureChecklist } from '../transcript/ProcedureChecklist';
import { createSeekBus, SeekContext, useSeekBus } from './seek';
import {
  AbandonDialog,
  EndDialog,
  MarkerNoteDialog,
  ResumeDialog,
  StartDialog,
} from './SessionDialogs';
import { RecordingPanel } from '../recording/RecordingPanel';
import { SealPanel } from '../sealing/SealPanel';
import { useRecorder } from '../recording/useRecorder';
import { TranscriptPane } from '../transcript/TranscriptPane';
import './session.css';

export function SessionScreen({ caseId, sessionId }: { caseId: number; sessionId: number }) {
  const { t } = useTranslation();
  const client = useClient();
  const loadSession = useCallback(
    () => client.invoke('sessions.get', { id: sessionId }),
    [client, sessionId],
  );
  const loadCase = useCallback(() => client.invoke('cases.get', { id: caseId }), [client, caseId]);
  const session = useResource(loadSession);
  const detail = useResource(loadCase);
  // Started or ended in another window, or anything else under the case: read it again.
  useCoreEvent('case.changed', (e) => {
    if (e.caseId !== caseId) return;
    session.reload();
    detail.reload();
  });
  // An interruption, a resumption or a safe stop changes the session's status.
  useCoreEvent('recording.fault', (e) => {
    if (e.sessionId === sessionId) session.reload();
  });

  if (!session.data || !detail.data)
    return (
      <section className="screen">
        <a className="back-link" href={routeHref({ name: 'case', id: caseId, tab: 'sessions' })}>
          ‹ {t('detail.back')}
        </a>
        <LoadState
          error={session.error ?? detail.error}
          onRetry={() => {
            session.reload();
            detail.reload();
          }}
        />
      </section>
    );
  return (
    <SessionView
      session={session.data}
      detail={detail.data}
      onChanged={() => {
        session.reload();
        detail.reload();
      }}
    />
  );
}

function transcriptBackend(client: Client, sessionId: number): TranscriptBackend {
  return {
    load: () => client.invoke('transcripts.get', { sessionId }),
    apply: (baseSeq: number, actions: TranscriptAction[]) =>
      client.invoke('transcripts.apply', { sessionId, baseSeq, actions }),
  };
}

/**
 * Web storage, or an in-memory stand-in where it is blocked (a locked-down profile): the
 * edits are then still queued and sent, only not kept across a crash.
 */
function storage(which: 'localStorage' | 'sessionStorage'): Storage {
  try {
    const s = window[which];
    s.getItem('');
    return s;
  } catch {
    const m = new Map<string, string>();
    return {
      get length() {
        return m.size;
      },
      key: (i) => [...m.keys()][i] ?? null,
      getItem: (k) => m.get(k) ?? null,
      setItem: (k, v) => void m.set(k, v),
      removeItem: (k) => void m.delete(k),
      clear: () => m.clear(),
    };
  }
}

/** The transcript store of this session, loaded on mount and stopped on unmount. */
function useTranscriptStore(client: Client, sessionId: number): TranscriptStore {
  const [store] = useState(
    () =>
      new TranscriptStore(
        transcriptBackend(client, sessionId),
        localPendingStore(storage('localStorage'), sessionId, windowId(storage('sessionStorage'))),
      ),
  );
  useEffect(() => {
    void store.start();
    return () => store.dispose();
  }, [store]);
  useCoreEvent('transcript.changed', (e) => {
    if (e.sessionId === sessionId) store.remoteChanged(e.seq);
  });
  return store;
}

/** The core's clock, measured once (see createCoreClock). */
function useCoreClock(client: Client): CoreClock {
  const [clock] = useState(() => createCoreClock());
  useEffect(() => {
    const sentAt = performance.now();
    client.invoke('app.info', {}).then(
      (info) => clock.sync(info.now, sentAt, performance.now()),
      () => {
        // Unreachable core: the local clock stands in, and saving reports the outage.
      },
    );
  }, [client, clock]);
  return clock;
}

function SessionView({
  session,
  detail,
  onChanged,
}: {
  session: SessionDto;
  detail: CaseDetailDto;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const client = useClient();
  const user = useUser();
  const store = useTranscriptStore(client, session.id);
  const clock = useCoreClock(client);
  const recorder = useRecorder(client, session, clock, detail.caseNo);
  const [seek] = useState(createSeekBus);
  const [pane, setPane] = useState<PaneController | null>(null);
  const [dialog, setDialog] = useState<'start' | 'end' | 'resume' | 'abandon' | null>(null);
  const [note, setNote] = useState<{ kind: 'interruption' | 'resumed'; at: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const loaded = useSyncExternalStore(store.subscribe, () => store.isLoaded());
  const markers = useSyncExternalStore(store.subscribe, () => store.getState().markers);

  const { kind, status, startedAt, endedAt } = session;
  const mayWrite = canInvoke(user, 'transcripts.apply');
  const live = status === 'recording';
  // Text stays correctable after the end (the clerk catches up, the party reviews) and while
  // an interrupted recording waits to resume; the core refuses edits only before the start
  // and once sealed. Procedure markers only while recording: their time is the moment of
  // marking.
  const editable = mayWrite && loaded && status !== 'planned' && status !== 'sealed';
  const canMark = mayWrite && loaded && live;

  const sessionNow = useCallback(
    () => (startedAt === null ? 0 : sessionTimeAt(clock.now(), startedAt, endedAt)),
    [clock, startedAt, endedAt],
  );

  const mark = (markerKind: MarkerKind) => {
    if (!canMark) return;
    const at = sessionNow();
    if (markerKind === 'interruption' || markerKind === 'resumed') {
      // The time is when the key was pressed, not when the reason has been typed.
      setNote({ kind: markerKind, at });
      return;
    }
    // A step marked twice by a double key press would only clutter the record.
    if (markers.some((m) => m.kind === markerKind)) return;
    store.sealUndo();
    store.dispatch({ type: 'marker.add', id: newId(), kind: markerKind, at, note: '' });
  };

  const history = (which: 'undo' | 'redo') => {
    if (!editable) return;
    const id = which === 'undo' ? store.undo() : store.redo();
    if (id) pane?.focusTurn(id, 'end');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // A dialog's own fields keep their native keys (undo in the note field is the field's).
    if ((e.target as HTMLElement).closest('dialog')) return;
    const command = commandFor(keyLike(e), kind);
    if (command?.type === 'undo' || command?.type === 'redo') {
      e.preventDefault();
      history(command.type);
    } else if (command?.type === 'marker') {
      e.preventDefault();
      mark(command.kind);
    }
  };

  const onSeek = useCallback((at: number) => seek.request(at), [seek]);
  const parties = session.participants;

  return (
    <SeekContext value={seek}>
      <section className="screen session" aria-labelledby="session-title">
        <header className="session__head">
          <div className="session__title">
            <a
              className="back-link"
              href={routeHref({ name: 'case', id: detail.id, tab: 'sessions' })}
            >
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
                onClick={() => setDialog('start')}
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
                  onClick={() => setDialog('resume')}
                >
                  {t('recording.resume')}
                </button>
                <button type="button" className="button" onClick={() => setDialog('abandon')}>
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
              <button
                type="button"
                className="button button--danger"
                onClick={() => setDialog('end')}
              >
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
        {/* The indicator shows the change; this only tells a screen reader. */}
        <p className="visually-hidden" role="status">
          {notice}
        </p>
        <div className="session__work" onKeyDown={onKeyDown}>
          <div className="session__side">
            <section className="panel camera" aria-labelledby="camera-title">
              <h2 id="camera-title" className="panel__title">
                {t('session.camera')}
              </h2>
              <div className="camera__grid" data-testid="camera-grid">
                <RecordingPanel recorder={recorder} session={session} />
              </div>
              <SeekIndicator />
            </section>
            <SealPanel session={session} />
            <ProcedureChecklist store={store} kind={kind} canMark={canMark} onMark={mark} />
            <ShortcutHelp kind={kind} />
          </div>
          <section className="panel session__transcript" aria-labelledby="transcript-title">
            <div className="panel__bar">
              <h2 id="transcript-title" className="panel__title">
                {t('transcript.title')}
              </h2>
              <div className="toolbar">
                <SaveIndicator store={store} />
                {editable ? (
                  <>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => history('undo')}
                      aria-keyshortcuts="Control+Z"
                    >
                      {t('transcript.undo')}
                    </button>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => history('redo')}
                      aria-keyshortcuts="Control+Shift+Z Control+Y"
                    >
                      {t('transcript.redo')}
                    </button>
                  </>
                ) : null}
              </div>
            </div>
            <LostEdits store={store} />
            {status === 'planned' ? (
              <p className="empty">{t('transcript.notStarted')}</p>
            ) : !mayWrite ? (
              <p className="muted">{t('transcript.readOnly')}</p>
            ) : null}
            {status !== 'planned' ? (
              <TranscriptPane
                store={store}
                kind={kind}
                editable={editable}
                canAddTurns={editable}
                sessionNow={sessionNow}
                onSeek={onSeek}
                onController={setPane}
              />
            ) : null}
          </section>
        </div>
        {dialog === 'start' ? (
          <StartDialog
            session={session}
            ready={recorder.phase === 'saved'}
            onRunning={(running) => recorder.start(running)}
            onClose={() => setDialog(null)}
            onStarted={() => {
              setDialog(null);
              setNotice(t('session.started'));
              onChanged();
            }}
          />
        ) : null}
        {dialog === 'resume' ? (
          <ResumeDialog
            onResume={(reason) => recorder.resume(session, reason)}
            onClose={() => setDialog(null)}
            onResumed={() => {
              setDialog(null);
              onChanged();
            }}
          />
        ) : null}
        {dialog === 'abandon' ? (
          <AbandonDialog
            session={session}
            onClose={() => setDialog(null)}
            onAbandoned={() => {
              setDialog(null);
              onChanged();
            }}
          />
        ) : null}
        {dialog === 'end' ? (
          <EndDialog
            session={session}
            beforeEnd={() => recorder.stop()}
            missing={missingSteps(kind, store.getState())}
            onClose={() => setDialog(null)}
            onEnded={() => {
              setDialog(null);
              setNotice(t('session.endedNotice'));
              onChanged();
            }}
          />
        ) : null}
        {note ? (
          <MarkerNoteDialog
            kind={note.kind}
            at={note.at}
            onClose={() => setNote(null)}
            onSave={(text) => {
              store.sealUndo();
              store.dispatch({
                type: 'marker.add',
                id: newId(),
                kind: note.kind,
                at: note.at,
                note: text,
              });
              setNote(null);
            }}
          />
        ) : null}
      </section>
    </SeekContext>
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

function SaveIndicator({ store }: { store: TranscriptStore }) {
  const { t } = useTranslation();
  const save = useSyncExternalStore(store.subscribe, store.getSave);
  const text = t(`transcript.save.${save.status}`);
  return (
    <>
      <span
        className={`save save--${save.status}`}
        data-testid="save-state"
        title={save.error ?? undefined}
      >
        <span className="visually-hidden">{t('transcript.saveState')}：</span>
        {text}
      </span>
      {/* Only trouble is announced; "saving… saved" on every keystroke would drown the reader. */}
      <span className="visually-hidden" role="status">
        {save.status === 'retrying' ? text : ''}
      </span>
    </>
  );
}

function LostEdits({ store }: { store: TranscriptStore }) {
  const { t } = useTranslation();
  const save = useSyncExternalStore(store.subscribe, store.getSave);
  if (save.lost.length === 0) return null;
  const texts = save.lost.map(lostText).filter(Boolean);
  return (
    <div className="banner banner--error" role="alert">
      <strong>{t('transcript.lost', { count: save.lost.length })}</strong>
      {texts.length ? (
        <ul className="lost">
          {texts.map((text, i) => (
            <li key={i} className="prewrap">
              {text}
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="button button--small" onClick={() => store.dismissLost()}>
        {t('transcript.lostDismiss')}
      </button>
    </div>
  );
}

function SeekIndicator() {
  const { t } = useTranslation();
  const bus = useSeekBus();
  const at = useSyncExternalStore(bus.subscribe, bus.last);
  return (
    <p className="seek">
      <span id="seek-label">{t('session.seek')}</span>
      <output aria-labelledby="seek-label" data-testid="seek-position">
        {at === null ? t('session.seekNone') : formatSessionTime(at)}
      </output>
    </p>
  );
}

function ShortcutHelp({ kind }: { kind: SessionDto['kind'] }) {
  const { t } = useTranslation();
  return (
    <details className="panel shortcuts" open>
      <summary className="panel__title">{t('transcript.shortcuts.title')}</summary>
      <dl className="shortcuts__list">
        {shortcutHelp(kind).map((s) => (
          <div key={s.does} className="shortcuts__item">
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{t(`transcript.shortcuts.${s.does}`)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
