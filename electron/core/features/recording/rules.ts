/** Pure rules of recording: file names, session time, the pre-flight checks, the offsets. */
import { AppError } from '../../../shared/errors';
import {
  SEGMENT_CLOSE_REASONS,
  type OffsetsDto,
  type OpenSegmentInput,
  type PreflightInput,
  type SegmentCloseReason,
  type SegmentKind,
  type SourceOffsetDto,
} from '../../../shared/api/recording';
import type { OffsetRow } from './store';

const pad3 = (n: number) => String(n).padStart(3, '0');

/** Where a segment file lives, relative to the data directory. */
export function segmentPath(sessionId: number, sourceId: string, segment: number): string {
  return `sessions/${sessionId}/media/${sourceId}-${pad3(segment)}.mp4`;
}

/** Session time in µs of a UTC ms instant; null before the session started. */
export function sessionTimeUs(startedAt: number | null, at: number): number | null {
  return startedAt === null ? null : (at - startedAt) * 1000;
}

/** Session µs of the end of the recorded media, as the whole session ms not before it. */
export function mediaEndMsOf(endUs: number | null): number | null {
  return endUs === null ? null : Math.ceil(endUs / 1000);
}

/** How a segment closes when its session is interrupted for `reason`. */
export function closeReasonFor(reason: string): SegmentCloseReason {
  return (SEGMENT_CLOSE_REASONS as readonly string[]).includes(reason)
    ? (reason as SegmentCloseReason)
    : 'connection_lost';
}

/**
 * Refuses a pre-flight whose expected recording does not fit above the floor (R3.6): the
 * free space less the floor must hold it.
 */
export function checkPreflightSpace(
  freeBytes: number,
  floorBytes: number,
  expectedBytes: number,
): void {
  if (freeBytes - floorBytes < expectedBytes) {
    throw new AppError(
      'RULE_VIOLATION',
      `not enough free disk space for the expected recording: ${expectedBytes} bytes needed, ` +
        `${Math.max(0, freeBytes - floorBytes)} usable (R3.6)`,
    );
  }
}

/**
 * The pre-flight source a segment records (R3.6), or undefined for the program: a device
 * source must be in the pre-flight check under its exact id and kind, and the program must
 * not take a device source's id.
 */
export function preflightSourceFor(
  preflight: PreflightInput,
  input: Pick<OpenSegmentInput, 'sourceId' | 'kind'>,
): PreflightInput['sources'][number] | undefined {
  const mapped = preflight.sources.find(
    (x) => x.sourceId.toLowerCase() === input.sourceId.toLowerCase(),
  );
  if (input.kind === 'program') {
    if (mapped) {
      throw new AppError('CONFLICT', `${input.sourceId} is a device source, not the program`);
    }
  } else if (!mapped || mapped.sourceId !== input.sourceId) {
    throw new AppError(
      'RULE_VIOLATION',
      `source ${input.sourceId} is not in the pre-flight check (R3.6); save it again with this source`,
    );
  } else if (mapped.kind !== input.kind) {
    throw new AppError('INVALID_INPUT', `source ${input.sourceId} is a ${mapped.kind}`);
  }
  return mapped;
}

/**
 * The offsets between a session's sources, measured from each segment's first frame
 * (ARCHITECTURE §3). The reference is the segment that started first on the session clock
 * (ties: camera before microphone before program, then by source id and segment number).
 */
export function computeOffsets(
  sessionId: number,
  rows: readonly OffsetRow[],
  at: number,
): OffsetsDto {
  const kindOrder: Record<SegmentKind, number> = { camera: 0, microphone: 1, program: 2 };
  const ref = [...rows].sort(
    (a, b) =>
      a.session_time_us - b.session_time_us ||
      kindOrder[a.kind] - kindOrder[b.kind] ||
      a.source_id.localeCompare(b.source_id) ||
      a.segment - b.segment,
  )[0];
  const toDto = (r: OffsetRow): SourceOffsetDto => ({
    sourceId: r.source_id,
    kind: r.kind,
    segment: r.segment,
    firstCaptureTimeUs: r.first_capture_time_us,
    sessionTimeUs: r.session_time_us,
    offsetUs: r.session_time_us - (ref?.session_time_us ?? 0),
    captureToSessionUs: r.session_time_us - r.first_capture_time_us,
  });
  const segments = rows.map(toDto);
  const firstOf = new Map<string, SourceOffsetDto>();
  for (const d of segments) {
    const seen = firstOf.get(d.sourceId);
    if (!seen || d.segment < seen.segment) firstOf.set(d.sourceId, d);
  }
  return {
    sessionId,
    reference: ref ? { sourceId: ref.source_id, segment: ref.segment } : null,
    sources: [...firstOf.values()],
    segments,
    measuredAt: at,
  };
}
