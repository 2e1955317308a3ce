/**
 * The stall rules (when a picture source that reads no frames is recovered, and how) and the
 * reader a worker reads on from after a recovery.
 */
import { describe, expect, it } from 'vitest';
import { ReplaceableReader } from '../../../renderer/src/features/recording/replaceableReader';
import {
  ATTEMPT_LIMIT_MS,
  STALL_MS,
  newProgress,
  noteAttempt,
  noteAttemptDone,
  noteFrames,
  recoveryDue,
} from '../../../renderer/src/features/recording/stallWatch';

describe('stall rules', () => {
  it('waits the stall time, reads afresh, then reopens once per stall time, and gives up after five', () => {
    const p = newProgress(0);
    expect(noteFrames(p, 30, 1_000)).toBeNull();
    expect(recoveryDue(p, 1_000 + STALL_MS - 1)).toBe('none');
    expect(recoveryDue(p, 1_000 + STALL_MS)).toBe('reread');
    noteAttempt(p, 1_000 + STALL_MS);
    noteAttemptDone(p, 1_000 + STALL_MS);
    expect(recoveryDue(p, 1_000 + STALL_MS + 100)).toBe('none');
    let at = 1_000 + 2 * STALL_MS;
    for (let i = 0; i < 4; i++) {
      expect(recoveryDue(p, at)).toBe('reopen');
      noteAttempt(p, at);
      noteAttemptDone(p, at);
      at += STALL_MS;
    }
    expect(recoveryDue(p, at + 60_000)).toBe('none');
    // The same count is no progress; a higher one ends the stall and says how long it was.
    expect(noteFrames(p, 30, at)).toBeNull();
    expect(noteFrames(p, 31, at)).toBe(at - 1_000);
    expect(recoveryDue(p, at + STALL_MS - 1)).toBe('none');
    expect(noteFrames(p, 40, at + 500)).toBeNull();
  });

  it('gives a camera opened slowly its stall time from when it opened, and retries one that never answers', () => {
    const p = newProgress(0);
    noteFrames(p, 30, 0);
    noteAttempt(p, STALL_MS); // read afresh: done at once
    noteAttemptDone(p, STALL_MS);
    expect(recoveryDue(p, 2 * STALL_MS)).toBe('reopen');
    noteAttempt(p, 2 * STALL_MS);
    // Opening the camera takes 4 s on a loaded machine: no second opening meanwhile.
    expect(recoveryDue(p, 2 * STALL_MS + STALL_MS + 1)).toBe('none');
    const opened = 2 * STALL_MS + 4_000;
    noteAttemptDone(p, opened);
    // It has the stall time to deliver from when it opened.
    expect(recoveryDue(p, opened + STALL_MS - 1)).toBe('none');
    expect(recoveryDue(p, opened + STALL_MS)).toBe('reopen');
    // An opening that never answers is given up on after the attempt limit.
    noteAttempt(p, opened + STALL_MS);
    expect(recoveryDue(p, opened + STALL_MS + ATTEMPT_LIMIT_MS - 1)).toBe('none');
    expect(recoveryDue(p, opened + STALL_MS + ATTEMPT_LIMIT_MS)).toBe('reopen');
  });
});

function frames(...ts: number[]): ReadableStream<{ t: number; close(): void }> {
  return new ReadableStream({
    start(c) {
      for (const t of ts) c.enqueue({ t, close() {} });
    },
  });
}

describe('a replaceable frame reader', () => {
  it('moves a waiting read to the new stream and reads on from it', async () => {
    const never = new ReadableStream<{ t: number; close(): void }>();
    const r = new ReplaceableReader(never);
    const waiting = r.read();
    r.replace(frames(7, 8));
    expect((await waiting).value?.t).toBe(7);
    expect((await r.read()).value?.t).toBe(8);
  });

  it('keeps a frame the old stream had ready and ends when cancelled', async () => {
    const r = new ReplaceableReader(frames(1));
    expect((await r.read()).value?.t).toBe(1);
    const waiting = r.read();
    r.cancel();
    expect((await waiting).done).toBe(true);
    // A stream offered after the end is cancelled, not read.
    const late = frames(2);
    r.replace(late);
    expect(late.locked).toBe(false);
    expect((await r.read()).done).toBe(true);
  });

  it('reports the end of a stream that ends by itself (the device is gone)', async () => {
    const ended = new ReadableStream<{ t: number; close(): void }>({ start: (c) => c.close() });
    expect((await new ReplaceableReader(ended).read()).done).toBe(true);
  });
});
