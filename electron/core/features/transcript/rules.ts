/** Pure rules of the transcript log (no I/O): when it takes edits, batches, snapshots. */
import { AppError } from '../../../shared/errors';
import type { SessionStatus } from '../../../shared/domain';
import {
  PROCEDURE_STEP_KINDS,
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
 * A procedure step is marked (and the party's answers to it taken down) while the recording
 * runs: its time is the moment it was done, on the recording's clock. After the recording a
 * step cannot be added or taken back (a notice then missing is stated by the officers when the
 * signing opens).
 */
export function requireStepsWhileRecording(
  status: SessionStatus,
  actions: readonly TranscriptAction[],
  state: TranscriptState,
): void {
  if (status === 'recording') return;
  const steps = PROCEDURE_STEP_KINDS as readonly string[];
  const touched = actions.some(
    (a) =>
      (a.type === 'marker.add' && steps.includes(a.kind)) ||
      // The party's answers to a notice are taken down as they are given, as the notice is.
      ((a.type === 'marker.remove' || a.type === 'marker.answers') &&
        state.markers.some((m) => m.id === a.id && steps.includes(m.kind))),
  );
  if (touched) {
    throw new AppError(
      'RULE_VIOLATION',
      '程序节点只能在录制进行中标记（标记的时间即办理的时间）；录制已结束的，未记录的告知由执法人员在开始签名时说明',
    );
  }
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
