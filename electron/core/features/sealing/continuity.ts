/**
 * Whether each source's files follow one another without a gap or an overlap: a source
 * records one file after another (a file change every few minutes, a new file after a
 * restart or a device that came back), and a seal says where two consecutive files of a
 * source do not meet. Pure: the service gathers the segments as the core recorded them
 * (the session time of each file's first frame or sample and the media time it covers)
 * and asks here. A gap is not a reason to refuse the seal: a recording with a hole is still
 * evidence, and the seal says so.
 */
import type { SealWarning } from '../../../shared/api/sealing';

/** What the core recorded of a segment, as the comparison needs it. */
export interface ContinuitySegment {
  sourceId: string;
  segment: number;
  kind: 'camera' | 'microphone' | 'program';
  state: string;
  bytes: number;
  /** Session time (µs) of the file's first frame or sample. */
  sessionTimeUs: number;
  /** Media time the file covers (first fragment's start to last fragment's end), µs. */
  durationUs: number | null;
  /**
   * Session time (µs) where its last fragment ends, over all its tracks; when unknown, its
   * start plus its duration (a file whose sound starts before its first frame, as the
   * program's does, covers more than that).
   */
  mediaEndUs?: number | null;
  frameRate: number | null;
  /**
   * How far the file's packets run past its last sample, µs: an Opus file's last packet
   * carries the encoder's look-ahead (the pre-skip a decoder drops), so its packets end
   * that much after its sound does (a microphone's file, the program's). 0 for a picture.
   */
  tailUs?: number;
}

/** The frame rate a picture is judged by when the segment does not record its own. */
const DEFAULT_FRAME_RATE = 30;
/** A sound file meets the next within a millisecond (a sample at 48 kHz is 21 µs). */
export const AUDIO_TOLERANCE_US = 1_000;

/**
 * How far apart two consecutive files of a source may be before it is reported: for a
 * picture, a gap beyond 1.5 frame durations (the step from one frame to the next is one
 * duration, and a file's last frame may be muxed without one) and an overlap beyond half a
 * frame duration (a frame's time in both files); for sound, 1 ms either way.
 */
export function continuityTolerance(s: Pick<ContinuitySegment, 'kind' | 'frameRate'>): {
  gapUs: number;
  overlapUs: number;
} {
  if (s.kind === 'microphone') return { gapUs: AUDIO_TOLERANCE_US, overlapUs: AUDIO_TOLERANCE_US };
  const frameUs = 1e6 / (s.frameRate && s.frameRate > 0 ? s.frameRate : DEFAULT_FRAME_RATE);
  return { gapUs: 1.5 * frameUs, overlapUs: 0.5 * frameUs };
}

/**
 * Every gap or overlap between consecutive files of a source beyond its tolerance, in
 * source and segment order. Files without media (no bytes, or no recorded duration) and
 * files still open are left out: they have nothing to meet.
 */
export function continuityWarnings(segments: readonly ContinuitySegment[]): SealWarning[] {
  const bySource = new Map<string, ContinuitySegment[]>();
  for (const s of segments) {
    if (s.state === 'open' || s.bytes === 0 || s.durationUs === null) continue;
    bySource.set(s.sourceId, [...(bySource.get(s.sourceId) ?? []), s]);
  }
  const warnings: SealWarning[] = [];
  for (const sourceId of [...bySource.keys()].sort()) {
    const files = bySource.get(sourceId)!.sort((a, b) => a.segment - b.segment);
    for (let i = 1; i < files.length; i++) {
      const before = files[i - 1]!;
      const after = files[i]!;
      const endUs =
        (before.mediaEndUs ?? before.sessionTimeUs + before.durationUs!) - (before.tailUs ?? 0);
      const deltaUs = after.sessionTimeUs - endUs;
      const tolerance = continuityTolerance(before);
      const between = `${sourceId} segment ${before.segment} → ${after.segment}`;
      const msOf = (us: number) => `${(us / 1000).toFixed(1)} ms`;
      if (deltaUs > tolerance.gapUs)
        warnings.push({
          code: 'media-gap',
          sourceId,
          segments: [before.segment, after.segment],
          atUs: Math.round(endUs),
          deltaUs: Math.round(deltaUs),
          toleranceUs: Math.round(tolerance.gapUs),
          detail: `${between}: nothing recorded for ${msOf(deltaUs)} between the files (more than ${msOf(tolerance.gapUs)})`,
        });
      else if (-deltaUs > tolerance.overlapUs)
        warnings.push({
          code: 'media-overlap',
          sourceId,
          segments: [before.segment, after.segment],
          atUs: Math.round(after.sessionTimeUs),
          deltaUs: Math.round(deltaUs),
          toleranceUs: Math.round(tolerance.overlapUs),
          detail: `${between}: the files overlap by ${msOf(-deltaUs)} (more than ${msOf(tolerance.overlapUs)})`,
        });
    }
  }
  return warnings;
}
