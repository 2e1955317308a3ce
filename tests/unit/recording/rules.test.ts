import { describe, expect, it } from 'vitest';
import {
  checkPreflightSpace,
  closeReasonFor,
  computeOffsets,
  mediaEndMsOf,
  preflightSourceFor,
  segmentPath,
  sessionTimeUs,
} from '../../../electron/core/features/recording/rules';
import type { PreflightInput } from '../../../electron/shared/api/recording';
import { AppError } from '../../../electron/shared/errors';

const preflight = {
  sources: [
    { sourceId: 'cam1', kind: 'camera', label: 'Camera', deviceNo: 'sx-01', role: 'party' },
    { sourceId: 'mic1', kind: 'microphone', label: 'Mic', deviceNo: 'sx-02', role: 'room' },
  ],
} as unknown as PreflightInput;

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
}

describe('recording rules', () => {
  it('names segment files by session, source and a three-digit number', () => {
    expect(segmentPath(7, 'cam1', 3)).toBe('sessions/7/media/cam1-003.mp4');
    expect(segmentPath(7, 'program', 1234)).toBe('sessions/7/media/program-1234.mp4');
  });

  it('puts instants on the session clock, and the media end on whole ms', () => {
    expect(sessionTimeUs(null, 5_000)).toBeNull();
    expect(sessionTimeUs(1_000, 3_500)).toBe(2_500_000);
    expect(mediaEndMsOf(null)).toBeNull();
    expect(mediaEndMsOf(10_000_001)).toBe(10_001);
    expect(mediaEndMsOf(10_000_000)).toBe(10_000);
  });

  it('closes segments with the interruption reason when it is a close reason', () => {
    expect(closeReasonFor('disk_floor')).toBe('disk_floor');
    expect(closeReasonFor('write_failed')).toBe('write_failed');
    expect(closeReasonFor('core_stopped')).toBe('connection_lost');
  });

  it('refuses a pre-flight whose expected recording does not fit above the floor (R3.6)', () => {
    expect(code(() => checkPreflightSpace(10_000, 1_000, 9_000))).toBeNull();
    expect(code(() => checkPreflightSpace(10_000, 1_000, 9_001))).toBe('RULE_VIOLATION');
    expect(() => checkPreflightSpace(500, 1_000, 1)).toThrow(/0 usable/);
  });

  it('opens segments only for the sources of the pre-flight, and the program apart', () => {
    expect(preflightSourceFor(preflight, { sourceId: 'cam1', kind: 'camera' })?.deviceNo).toBe(
      'sx-01',
    );
    expect(preflightSourceFor(preflight, { sourceId: 'program', kind: 'program' })).toBeUndefined();
    expect(code(() => preflightSourceFor(preflight, { sourceId: 'CAM1', kind: 'program' }))).toBe(
      'CONFLICT',
    );
    expect(code(() => preflightSourceFor(preflight, { sourceId: 'Cam1', kind: 'camera' }))).toBe(
      'RULE_VIOLATION',
    );
    expect(code(() => preflightSourceFor(preflight, { sourceId: 'cam2', kind: 'camera' }))).toBe(
      'RULE_VIOLATION',
    );
    expect(code(() => preflightSourceFor(preflight, { sourceId: 'mic1', kind: 'camera' }))).toBe(
      'INVALID_INPUT',
    );
  });

  it('measures offsets from the segment that started first (camera first on a tie)', () => {
    const row = (
      source_id: string,
      kind: 'camera' | 'microphone' | 'program',
      segment: number,
      session_time_us: number,
    ) => ({ source_id, kind, segment, session_time_us, first_capture_time_us: 1_000 });
    const offsets = computeOffsets(
      4,
      [
        row('mic1', 'microphone', 1, 100),
        row('cam1', 'camera', 1, 100),
        row('cam1', 'camera', 2, 900_000),
        row('program', 'program', 1, 50_000),
      ],
      123,
    );
    expect(offsets.reference).toEqual({ sourceId: 'cam1', segment: 1 });
    expect(offsets.measuredAt).toBe(123);
    expect(offsets.sessionId).toBe(4);
    expect(offsets.segments.map((s) => [s.sourceId, s.segment, s.offsetUs])).toEqual([
      ['mic1', 1, 0],
      ['cam1', 1, 0],
      ['cam1', 2, 899_900],
      ['program', 1, 49_900],
    ]);
    // One entry per source: its first segment.
    expect(offsets.sources.map((s) => [s.sourceId, s.segment])).toEqual([
      ['mic1', 1],
      ['cam1', 1],
      ['program', 1],
    ]);
    expect(offsets.sources[0]!.captureToSessionUs).toBe(-900);
    expect(computeOffsets(4, [], 5)).toEqual({
      sessionId: 4,
      reference: null,
      sources: [],
      segments: [],
      measuredAt: 5,
    });
  });
});
