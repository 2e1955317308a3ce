/** Pure rules of the transcript log (no I/O): when it takes edits, batches, snapshots. */
import { AppError } from '../../../shared/errors';
import type { SessionStatus } from '../../../shared/domain';
import {
  TranscriptError,
  applyAction,
  type TranscriptAction,
  type TranscriptState,
} from '../../../shared/rules/transcript';

/** A snapshot is written every this many actions, so loading replays at most this many. */
export const SNAPSHOT_EVERY = 500;

/** The transcript is written from the start of the session until it is sealed. */
export function requireRecordingStatus(status: SessionStatus): void {
  if (status === 'sealed') throw new AppError('CONFLICT', 'the session is sealed');
  if (status === 'planned')
    throw new AppError('CONFLICT', 'the transcript starts when the session starts');
}

/**
 * Once the party's signing is finished the record is what was signed: no later edit may make
 * the live text drift from it (a new correction needs a new signing).
 */
export function requireUnsigned(signed: boolean): void {
  if (signed) throw new AppError('CONFLICT', 'the transcript is signed and can no longer change');
}

/** A client behind another writer is told so instead of silently interleaving edits. */
export function requireBaseSeq(baseSeq: number, currentSeq: number): void {
  if (baseSeq !== currentSeq) {
    throw new AppError(
      'CONFLICT',
      `the transcript moved on (at ${currentSeq}, you sent ${baseSeq}); reload it`,
    );
  }
}

/** The state after a batch of actions; an action the state refuses is a CONFLICT. */
export function applyBatch(
  state: TranscriptState,
  actions: readonly TranscriptAction[],
): TranscriptState {
  let next = state;
  try {
    for (const a of actions) next = applyAction(next, a);
  } catch (e) {
    if (e instanceof TranscriptError) throw new AppError('CONFLICT', e.message);
    throw e;
  }
  return next;
}

/** Whether the log crossed a snapshot boundary going from `fromSeq` to `toSeq`. */
export function snapshotDue(fromSeq: number, toSeq: number): boolean {
  return Math.floor(toSeq / SNAPSHOT_EVERY) > Math.floor(fromSeq / SNAPSHOT_EVERY);
}
