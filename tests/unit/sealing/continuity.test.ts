/**
 * Whether consecutive files of a source meet: the pure comparison the seal check and the
 * sealed record use (a gap or an overlap beyond the tolerance of the kind is reported).
 */
import { describe, expect, it } from 'vitest';
import {
  continuityTolerance,
  continuityWarnings,
  type ContinuitySegment,
} from '../../../electron/core/features/sealing/continuity';

const FRAME = 1e6 / 30;

/** Files of one source, each given as [start, duration] in µs. */
function files(
  sourceId: string,
  kind: ContinuitySegment['kind'],
  spans: [number, number][],
  extra: Partial<ContinuitySegment> = {},
): ContinuitySegment[] {
  return spans.map(([sessionTimeUs, durationUs], i) => ({
    sourceId,
    segment: i + 1,
    kind,
    state: 'closed',
    bytes: 1000,
    sessionTimeUs,
    durationUs,
    frameRate: kind === 'microphone' ? null : 30,
    ...extra,
  }));
}

describe('continuity between the files of a source', () => {
  it('is quiet when each picture file starts one frame after the last one ends', () => {
    // The last frame is muxed without a duration: the next file's first frame is a frame on.
    const cam = files('cam1', 'camera', [
      [500_000, 5_000_000],
      [5_500_000 + FRAME, 5_000_000],
    ]);
    expect(continuityWarnings(cam)).toEqual([]);
  });

  it('reports a picture gap of more than 1.5 frames, with where and how long', () => {
    const cam = files('cam1', 'camera', [
      [0, 5_000_000],
      [5_000_000 + 2 * FRAME, 5_000_000],
    ]);
    const [w, ...rest] = continuityWarnings(cam);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      code: 'media-gap',
      sourceId: 'cam1',
      segments: [1, 2],
      atUs: 5_000_000,
      deltaUs: Math.round(2 * FRAME),
      toleranceUs: Math.round(1.5 * FRAME),
    });
    expect(w!.detail).toContain('66.7 ms');
    // Just inside the tolerance: quiet.
    expect(
      continuityWarnings(
        files('cam1', 'camera', [
          [0, 5_000_000],
          [5_000_000 + 1.5 * FRAME - 1, 5_000_000],
        ]),
      ),
    ).toEqual([]);
  });

  it('reports a picture overlap beyond half a frame: a frame time in both files', () => {
    const cam = files('cam1', 'camera', [
      [0, 5_000_000],
      [5_000_000 - FRAME, 5_000_000],
    ]);
    expect(continuityWarnings(cam).map((w) => [w.code, w.deltaUs])).toEqual([
      ['media-overlap', -Math.round(FRAME)],
    ]);
  });

  it('judges a picture by its own frame rate', () => {
    expect(continuityTolerance({ kind: 'camera', frameRate: 25 }).gapUs).toBe(60_000);
    expect(continuityTolerance({ kind: 'program', frameRate: null }).gapUs).toBe(50_000);
    // 45 ms between files: a gap at 60 fps, continuous at 25 fps.
    const at = (frameRate: number) =>
      continuityWarnings(
        files('cam1', 'camera', [
          [0, 1_000_000],
          [1_045_000, 1_000_000],
        ]).map((s) => ({ ...s, frameRate })),
      ).length;
    expect(at(60)).toBe(1);
    expect(at(25)).toBe(0);
  });

  it('holds sound to a millisecond, after the Opus pre-skip its last packet carries', () => {
    const PRE_SKIP = 6_500;
    // The packets run one pre-skip past the sound: the next file starts where the sound ends.
    const meets = files('mic1', 'microphone', [
      [550_000, 6_000_000 + PRE_SKIP],
      [6_550_000, 5_000_000 + PRE_SKIP],
    ]).map((s) => ({ ...s, tailUs: PRE_SKIP }));
    expect(continuityWarnings(meets)).toEqual([]);
    // Without knowing the pre-skip, the same files would overlap by it.
    expect(continuityWarnings(meets.map((s) => ({ ...s, tailUs: 0 }))).map((w) => w.code)).toEqual([
      'media-overlap',
    ]);
    // 1.2 ms of sound missing: reported.
    const gap = meets.map((s, i) => (i === 1 ? { ...s, sessionTimeUs: 6_551_200 } : s));
    expect(continuityWarnings(gap).map((w) => [w.code, w.deltaUs])).toEqual([['media-gap', 1_200]]);
  });

  it("measures a file's end where its media ends: the program's sound starts before its picture", () => {
    const PRE_SKIP = 6_500;
    // The program's second file: sound from the change instant (5.000 s), the first frame
    // 30 ms later (its recorded start); its span, 5.0065 s, runs from the sound's start.
    const program = files('program', 'program', [
      [5_030_000, 5_006_500],
      [10_005_000, 5_000_000],
    ]).map((s, i) => ({ ...s, tailUs: PRE_SKIP, mediaEndUs: i === 0 ? 10_006_500 : null }));
    // Ends at 10.000 s (its sound, less the pre-skip); the next picture starts 5 ms on.
    expect(continuityWarnings(program)).toEqual([]);
    // Taken as its recorded start plus its span, it would seem to overlap the next by 25 ms.
    expect(
      continuityWarnings(program.map((s) => ({ ...s, mediaEndUs: null }))).map((w) => w.code),
    ).toEqual(['media-overlap']);
  });

  it('compares files of one source in segment order, every source apart', () => {
    const segments = [
      ...files('mic1', 'microphone', [
        [0, 1_000_000],
        [1_000_000, 1_000_000],
      ]),
      // Out of order as given, with a hole between segments 2 and 3.
      ...files('cam2', 'camera', [
        [2_500_000, 1_000_000],
        [0, 1_000_000],
        [1_000_000 + FRAME, 1_000_000],
      ]).map((s, i) => ({ ...s, segment: [3, 1, 2][i]! })),
    ];
    expect(continuityWarnings(segments).map((w) => [w.sourceId, w.segments])).toEqual([
      ['cam2', [2, 3]],
    ]);
  });

  it('leaves out files with nothing in them and files still open', () => {
    const cam = files('cam1', 'camera', [
      [0, 1_000_000],
      [1_200_000, 0],
      [3_000_000, 1_000_000],
    ]);
    // An empty file between two: the gap is between the files that hold media.
    const empty = cam.map((s, i) => (i === 1 ? { ...s, bytes: 0, durationUs: null } : s));
    expect(continuityWarnings(empty).map((w) => w.segments)).toEqual([[1, 3]]);
    const open = cam.map((s, i) => (i === 2 ? { ...s, state: 'open' } : s));
    expect(continuityWarnings(open).map((w) => w.segments)).toEqual([[1, 2]]);
  });
});
