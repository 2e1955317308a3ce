/** SQL on the transcript's tables (transcript_ops, transcript_snapshots). */
import type { TranscriptAction, TranscriptState } from '../../../shared/rules/transcript';
import type { Db } from '../../platform/db/database';

/** The newest snapshot of a session's transcript, or undefined before the first one. */
export function latestSnapshot(
  db: Db,
  sessionId: number,
): { seq: number; state: TranscriptState } | undefined {
  const row = db
    .prepare(
      'SELECT seq, state FROM transcript_snapshots WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
    )
    .get(sessionId) as { seq: number; state: string } | undefined;
  return row ? { seq: row.seq, state: JSON.parse(row.state) as TranscriptState } : undefined;
}

/** The actions of a session's log after `seq`, in order, read one at a time. */
export function* actionsAfter(
  db: Db,
  sessionId: number,
  seq: number,
): Generator<{ seq: number; action: TranscriptAction }> {
  for (const row of db
    .prepare('SELECT seq, action FROM transcript_ops WHERE session_id = ? AND seq > ? ORDER BY seq')
    .iterate(sessionId, seq) as IterableIterator<{ seq: number; action: string }>) {
    yield { seq: row.seq, action: JSON.parse(row.action) as TranscriptAction };
  }
}

/** Appends actions to a session's log, numbered on from `afterSeq`. */
export function appendActions(
  db: Db,
  sessionId: number,
  afterSeq: number,
  actions: readonly TranscriptAction[],
  userId: number,
  at: number,
): void {
  const insert = db.prepare(
    'INSERT INTO transcript_ops (session_id, seq, at, user_id, action) VALUES (?, ?, ?, ?, ?)',
  );
  actions.forEach((a, i) => insert.run(sessionId, afterSeq + i + 1, at, userId, JSON.stringify(a)));
}

/** Keeps the state of a session's transcript at `seq`, so loading replays from there. */
export function insertSnapshot(
  db: Db,
  sessionId: number,
  seq: number,
  state: TranscriptState,
): void {
  db.prepare('INSERT INTO transcript_snapshots (session_id, seq, state) VALUES (?, ?, ?)').run(
    sessionId,
    seq,
    JSON.stringify(state),
  );
}
