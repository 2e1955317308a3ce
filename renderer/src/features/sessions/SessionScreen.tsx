/**
 * One session (询问 / 听证 …) while it is conducted: who, where and when in the header
 * (SessionHeader); the cameras and recording controls; the seal panel; the procedure
 * checklist; and the running transcript beside them, all on the one session clock.
 */
import { useCallback, useEffect, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Client } from '@shared/client';
import type { CaseDetailDto, SessionDto } from '@shared/domain';
import { missingSteps, type MarkerKind } from '@shared/rules/transcript';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { routeHref } from '../../app/route';
import { LoadState } from '../../ui/LoadState';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { RecordingPanel } from '../recording/RecordingPanel';
import { LivePanel } from '../live/LivePanel';
import { useRecorder } from '../recording/useRecorder';
import { SealPanel } from '../sealing/SealPanel';
import { HearingReportPanel } from '../hearings/HearingReportPanel';
import { newId } from '../transcript/ids';
import type { PaneController } from '../transcript/paneController';
import { ProcedureChecklist } from '../transcript/ProcedureChecklist';
import { phraseActions } from '../transcript/phrases';
import type { PhraseDto } from '@shared/api/signing';
import { LostEdits, SaveIndicator } from '../transcript/SaveState';
import { commandFor, keyLike } from '../transcript/shortcuts';
import { ShortcutHelp } from '../transcript/ShortcutHelp';
import { TranscriptPane } from '../transcript/TranscriptPane';
import { useTranscriptStore } from '../transcript/useTranscriptStore';
import { createSeekBus, SeekContext, useSeekBus } from './seek';
import {
  AbandonDialog,
  EndDialog,
  MarkerNoteDialog,
  ResumeDialog,
  StartDialog,
} from './SessionDialogs';
import { SessionHeader, type SessionAction } from './SessionHeader';
import {
  createCoreClock,
  formatSessionTime,
  measureCoreClock,
  sessionTimeAt,
  type CoreClock,
} from './sessionTime';
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

/** The core's clock, measured as the screen opens (see measureCoreClock). */
function useCoreClock(client: Client): CoreClock {
  const [clock] = useState(() => createCoreClock());
  useEffect(() => {
    measureCoreClock(clock, () => client.invoke('app.info', {}).then((info) => info.now)).catch(
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
  const client = useClient();
  const user = useUser();
  const store = useTranscriptStore(client, session.id);
  // A record signed to the end never changes again (the core refuses): the pane says so.
  const mayReadSigning = canInvoke(user, 'signing.ofSession');
  const loadSigning = useCallback(
    () =>
      mayReadSigning
        ? client.invoke('signing.ofSession', { sessionId: session.id })
        : Promise.resolve(null),
    [client, session.id, mayReadSigning],
  );
  const signing = useResource(loadSigning, { keepStale: true });
  useCoreEvent('signing.changed', (e) => {
    if (e.sessionId === session.id) signing.reload();
  });
  const clock = useCoreClock(client);
  const recorder = useRecorder(client, session, clock, detail.caseNo);
  const [seek] = useState(createSeekBus);
  const [pane, setPane] = useState<PaneController | null>(null);
  const [dialog, setDialog] = useState<SessionAction | null>(null);
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
  const signed = signing.data?.state === 'finished';
  const editable = mayWrite && loaded && status !== 'planned' && status !== 'sealed' && !signed;
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

  // The phrase guide's notices, inserted as the officer's words with an answer to type into.
  const loadPhrases = useCallback(
    () =>
      canInvoke(user, 'signing.phrases')
        ? client.invoke('signing.phrases', { sessionId: session.id })
        : Promise.resolve([]),
    [client, session.id, user],
  );
  const phrases = useResource(loadPhrases, { keepStale: true });
  // The agency's phrase guide, for Alt+K in the transcript.
  const loadGuide = useCallback(
    () =>
      canInvoke(user, 'guide.forSession')
        ? client.invoke('guide.forSession', { sessionId: session.id }).then((g) => g.phrases)
        : Promise.resolve([]),
    [client, session.id, user],
  );
  const guide = useResource(loadGuide, { keepStale: true });
  const insertPhrase = (phrase: PhraseDto) => {
    if (!canMark || markers.some((m) => m.kind === phrase.step)) return;
    const { actions, answerId } = phraseActions(phrase, sessionNow(), newId);
    store.sealUndo();
    for (const a of actions) store.dispatch(a);
    pane?.focusTurn(answerId, 'end');
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

  return (
    <SeekContext value={seek}>
      <section className="screen session" aria-labelledby="session-title">
        <SessionHeader session={session} detail={detail} clock={clock} onAction={setDialog} />
        {/* The indicator shows the change; this only tells a screen reader. */}
        <p className="visually-hidden" role="status">
          {notice}
        </p>
        {/* Before the start the pre-flight check is the step at hand: it takes the width. */}
        <div
          className={`session__work${status === 'planned' ? ' session__work--preflight' : ''}`}
          onKeyDown={onKeyDown}
        >
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
            {status === 'recording' || status === 'interrupted' ? (
              <LivePanel caseId={detail.id} sessionId={session.id} recorder={recorder} />
            ) : null}
            <HearingReportPanel session={session} />
            <SealPanel session={session} />
            <ProcedureChecklist
              store={store}
              kind={kind}
              canMark={canMark}
              onMark={mark}
              phrases={phrases.data ?? []}
              onInsert={insertPhrase}
              onAnswer={(id, answers) => {
                store.sealUndo();
                store.dispatch({ type: 'marker.answers', id, answers });
              }}
            />
            <ShortcutHelp kind={kind} />
          </div>
          {status === 'planned' ? null : (
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
              {!mayWrite ? (
                <p className="muted">{t('transcript.readOnly')}</p>
              ) : signed || status === 'sealed' ? (
                <p className="muted" data-testid="transcript-signed">
                  {t('transcript.signedReadOnly')}
                </p>
              ) : null}
              <TranscriptPane
                store={store}
                kind={kind}
                editable={editable}
                canAddTurns={editable}
                sessionNow={sessionNow}
                onSeek={onSeek}
                onController={setPane}
                caseId={session.caseId}
                phrases={guide.data ?? []}
              />
            </section>
          )}
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
