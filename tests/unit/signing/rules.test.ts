/**
 * The signing's pure helpers: the session clock, handwriting moved onto it whatever the
 * tablet's clock says, and the blank signatures of the unsigned preview.
 */
import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../../electron/shared/domain';
import {
  blankSignatures,
  handwritingOnSessionClock,
  sessionTime,
} from '../../../electron/core/features/signing/rules';

const started = { startedAt: 1_000_000 } as SessionDto;
const notStarted = { startedAt: null } as SessionDto;

describe('signing rules', () => {
  it('counts session time from the start, never below zero', () => {
    expect(sessionTime(started, 1_060_000)).toBe(60_000);
    expect(sessionTime(started, 999_000)).toBe(0);
    expect(sessionTime(notStarted, 5_000)).toBe(0);
  });

  it('moves handwriting onto the session clock with the tablet clock’s offset', () => {
    // The tablet's clock runs 10 s behind the core's.
    const at = 1_120_000;
    const hw = handwritingOnSessionClock(
      {
        canvas: { width: 300, height: 100 },
        t0: at - 10_000 - 2_000,
        clientNow: at - 10_000,
        strokes: [
          {
            pointerType: 'pen',
            points: [
              [1, 2, 0, 0.5],
              [3, 4, 500, 0.7],
            ],
          },
        ],
      },
      started,
      at,
    );
    expect(hw.canvas).toEqual({ width: 300, height: 100 });
    expect(hw.atMs).toBe(120_000);
    expect(hw.signedAt).toBe(new Date(at).toISOString());
    expect(hw.strokes).toEqual([
      [
        { x: 1, y: 2, t: 118_000, pressure: 0.5, pointerType: 'pen' },
        { x: 3, y: 4, t: 118_500, pressure: 0.7, pointerType: 'pen' },
      ],
    ]);
  });

  it('leaves every slot of the preview empty, signed or refused', () => {
    const signed = blankSignatures({ kind: 'signed' }, '以上笔录我看过');
    expect(signed).toMatchObject({ kind: 'signed', pages: [], corrections: {}, officers: [] });
    expect(signed.kind === 'signed' && signed.closing.text).toBe('以上笔录我看过');
    expect(signed.kind === 'signed' && signed.closing.handwriting.strokes).toEqual([]);
    expect(blankSignatures({ kind: 'refused', reason: '拒绝' }, 'x')).toMatchObject({
      kind: 'refused',
      reason: '拒绝',
      atMs: 0,
      officers: [],
    });
  });
});
