import { AppError } from '../../../shared/errors';
import {
  EMPTY_TRANSCRIPT,
  TranscriptError,
  applyAction,
  type TranscriptAction,
  type TranscriptState,
} from '../../../shared/rules/transcript';
import { requireUser, type Caller, type ServiceDeps } from '../context';

/** A snapshot is written every this many actions, so loading replays at most this many. */
export const SNAPSHOT_EVERY = 500;

/**
 * The transcript of each session: an append-only action log in SQLite, replayed through the
 * same pure reducer the renderer uses. Every accepted batch is committed (synchronous=FULL)
 * before the reply, so what the clerk saw acknowledged survives a crash or power cut.
 */
export class TranscriptsService {
  /** Last state per session, so a keystroke does not replay the log. */
  private readonly cache = new Map<number, { seq: number; state: TranscriptState }>();

  constructor(private readonly deps: ServiceDeps) {}

  private load(sessionId: number): { seq: number; state: TranscriptState } {
    const cached = this.cache.get(sessionId);
    if (cached) return cached;
    const { db } = this.deps;
    const snap = db
      .prepare(
        'SELECT seq, state FROM transcript_snapshots WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
      )
      .get(sessionId) as { seq: number; state: string } | undefined;
    let state: TranscriptState = snap
      ? (JSON.parse(snap.state) as TranscriptState)
      : EMPTY_TRANSCRIPT;
    let seq = snap?.seq ?? 0;
    for (const row of db
      .prepare(
        'SELECT seq, action FROM transcript_ops WHERE session_id = ? AND seq > ? ORDER BY seq',
      )
      .iterate(sessionId, seq) as IterableIterator<{ seq: number; action: string }>) {
      state = applyAction(state, JSON.parse(row.action) as TranscriptAction);
      seq = row.seq;
    }
    const loaded = { seq, state };
    this.cache.set(sessionId, loaded);
    return loaded;
  }

  private session(sessionId: number) {
    const s = this.deps.db
      .prepare('SELECT id, case_id, status FROM sessions WHERE id = ?')
      .get(sessionId) as { id: number; case_id: number; status: string } | undefined;
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
    const s = this.session(sessionId);
    if (s.status === 'sealed') throw new AppError('CONFLICT', 'the session is sealed');
    if (s.status === 'planned')
      throw new AppError('CONFLICT', 'the transcript starts when the session starts');
    const { db, now } = this.deps;
    // Once the party's signing is finished the record is what was signed: no later edit may
    // make the live text drift from it (a new correction needs a new signing).
    const signed = db
      .prepare("SELECT 1 FROM signings WHERE session_id = ? AND state = 'finished'")
      .get(sessionId);
    if (signed) throw new AppError('CONFLICT', 'the transcript is signed and can no longer change');
    const current = this.load(sessionId);
    if (baseSeq !== current.seq) {
      throw new AppError(
        'CONFLICT',
        `the transcript moved on (at ${current.seq}, you sent ${baseSeq}); reload it`,
      );
    }
    let state = current.state;
    try {
      for (const a of actions) state = applyAction(state, a);
    } catch (e) {
      if (e instanceof TranscriptError) throw new AppError('CONFLICT', e.message);
      throw e;
    }
    const at = now();
    const insert = db.prepare(
      'INSERT INTO transcript_ops (session_id, seq, at, user_id, action) VALUES (?, ?, ?, ?, ?)',
    );
    const seq = current.seq + actions.length;
    db.transaction(() => {
      actions.forEach((a, i) =>
        insert.run(sessionId, current.seq + i + 1, at, user.id, JSON.stringify(a)),
      );
      if (Math.floor(seq / SNAPSHOT_EVERY) > Math.floor(current.seq / SNAPSHOT_EVERY)) {
        db.prepare(
          'INSERT INTO transcript_snapshots (session_id, seq, state) VALUES (?, ?, ?)',
        ).run(sessionId, seq, JSON.stringify(state));
      }
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
