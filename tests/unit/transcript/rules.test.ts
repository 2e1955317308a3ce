/** The pure rules of the transcript log: when it takes edits, batches, snapshots. */
import { describe, expect, it } from 'vitest';
import {
  SNAPSHOT_EVERY,
  applyBatch,
  requireBaseSeq,
  requireRecordingStatus,
  requireUnsigned,
  snapshotDue,
} from '../../../electron/core/features/transcript/rules';
import { EMPTY_TRANSCRIPT, type TranscriptAction } from '../../../electron/shared/rules/transcript';

describe('transcript rules', () => {
  it('takes edits from the start of the session until it is sealed or signed', () => {
    expect(() => requireRecordingStatus('planned')).toThrow('the transcript starts');
    expect(() => requireRecordingStatus('sealed')).toThrow('the session is sealed');
    expect(() => requireRecordingStatus('recording')).not.toThrow();
    expect(() => requireUnsigned(true)).toThrow('the transcript is signed');
    expect(() => requireUnsigned(false)).not.toThrow();
  });

  it('refuses a batch from a client behind the log', () => {
    expect(() => requireBaseSeq(3, 3)).not.toThrow();
    expect(() => requireBaseSeq(2, 3)).toThrow('the transcript moved on (at 3, you sent 2)');
  });

  it('turns an action the state refuses into a conflict', () => {
    const bad = { type: 'turn.remove', id: 'nope' } as TranscriptAction;
    expect(() => applyBatch(EMPTY_TRANSCRIPT, [bad])).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'no turn nope' }),
    );
    expect(applyBatch(EMPTY_TRANSCRIPT, [])).toBe(EMPTY_TRANSCRIPT);
  });

  it('snapshots when the log crosses a boundary', () => {
    expect(snapshotDue(0, SNAPSHOT_EVERY - 1)).toBe(false);
    expect(snapshotDue(SNAPSHOT_EVERY - 1, SNAPSHOT_EVERY)).toBe(true);
    expect(snapshotDue(SNAPSHOT_EVERY, SNAPSHOT_EVERY + 3)).toBe(false);
  });
});
