import { AppError } from '../../../shared/errors';
import {
  EMPTY_TRANSCRIPT,
  applyAction,
  type TranscriptAction,
  type TranscriptState,
} from '../../../shared/rules/transcript';
import { requireUser, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import { sessionHead, type SessionHead } from '../sessions';
import { isSessionSigned } from '../signing';
import {
  applyBatch,
  requireBaseSeq,
  requireRecordingStatus,
  requireStepsWhileRecording,
  requireUnsigned,
  snapshotDue,
} from './rules';
import { actionsAfter, appendActions, insertSnapshot, latestSnapshot } from './store';
import { Viewings } from '../../platform/viewings';

/**
 * The transcript of each session: an append-only action log in SQLite, replayed through the
 * same pure reducer the renderer uses. Every accepted batch is committed (synchronous=FULL)
 * before the reply, so what the clerk saw acknowledged survives a crash or power cut.
 */
export class TranscriptsService {
  /** Last state per session, so a keystroke does not replay the log. */
  private readonly cache = new Map<number, { seq: number; state: TranscriptState }>();

  /** Each account's viewings of each session's record (one audit entry a viewing). */
  private readonly viewings = new Viewings();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly guard: EvidenceGuard,
  ) {}

  /**
   * The written record as a reader asks for it: the case team, or a grant that covers the
   * session (R6.1). The first read of an account in an hour is an audit entry.
   */
  read(caller: Caller, sessionId: number): { seq: number; state: TranscriptState } {
    const user = requireUser(caller);
    const s = this.session(sessionId);
    const basis = this.guard.require(caller, {
      caseId: s.caseId,
      mode: 'view',
      sessionIds: [sessionId],
      what: '查看笔录',
      entity: 'session',
      entityId: sessionId,
    });
    const at = this.deps.now();
    if (this.viewings.starts(`${user.id}:${sessionId}`, at)) {
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'transcript.read',
        entity: 'session',
        entityId: sessionId,
        caseId: s.caseId,
        data: { basis: basis.kind, grantId: basis.kind === 'grant' ? basis.grantId : null },
      });
    }
    return this.load(sessionId);
  }

  private load(sessionId: number): { seq: number; state: TranscriptState } {
    const cached = this.cache.get(sessionId);
    if (cached) return cached;
    const { db } = this.deps;
    const snap = latestSnapshot(db, sessionId);
    let state: TranscriptState = snap?.state ?? EMPTY_TRANSCRIPT;
    let seq = snap?.seq ?? 0;
    for (const row of actionsAfter(db, sessionId, seq)) {
      state = applyAction(state, row.action);
      seq = row.seq;
    }
    const loaded = { seq, state };
    this.cache.set(sessionId, loaded);
    return loaded;
  }

  private session(sessionId: number): SessionHead {
    const s = sessionHead(this.deps.db, sessionId);
    if (!s) throw new AppError('NOT_FOUND', `no session ${sessionId}`);
    return s;
  }

  get(sessionId: number): { seq: number; state: TranscriptState } {
    this.session(sessionId);
    return this.load(sessionId);
  }

  /**
   * Appends a batch of actions. `baseSeq` is the sequence the client last saw; a client
   * behind another writer is told so (CONFLICT) instead of silently interleaving edits.
   */
  apply(
    caller: Caller,
    sessionId: number,
    baseSeq: number,
    actions: TranscriptAction[],
  ): { seq: number } {
    const user = requireUser(caller);
    const session = this.session(sessionId);
    requireRecordingStatus(session.status);
    // The case team writes the record; nobody else, whatever they may read.
    this.guard.requireTeam(caller, {
      caseId: session.caseId,
      what: '记录笔录',
      entity: 'session',
      entityId: sessionId,
    });
    const { db, now } = this.deps;
    requireUnsigned(isSessionSigned(db, sessionId));
    const current = this.load(sessionId);
    requireBaseSeq(baseSeq, current.seq);
    requireStepsWhileRecording(this.session(sessionId).status, actions, current.state);
    const state = applyBatch(current.state, actions);
    const at = now();
    const seq = current.seq + actions.length;
    db.transaction(() => {
      appendActions(db, sessionId, current.seq, actions, user.id, at);
      if (snapshotDue(current.seq, seq)) insertSnapshot(db, sessionId, seq, state);
    })();
    this.cache.set(sessionId, { seq, state });
    this.deps.emit('transcript.changed', { sessionId, seq });
    return { seq };
  }

  /** Forgets the cached state (tests; a restart does the same). */
  evict(sessionId: number): void {
    this.cache.delete(sessionId);
  }
}
