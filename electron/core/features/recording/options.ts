/** The media sink's tunables and what it answers a refused media frame with. */
import type { ErrorInfo } from '../../../shared/errors';
import type { RecordingFaultEvent } from '../../../shared/api/recording';
import {
  DEFAULT_FLOOR_BYTES,
  DEFAULT_MAX_UNIT_BYTES,
  DEFAULT_WARN_BYTES,
  statfsDiskSpace,
  type DiskSpace,
} from './media';

/** Tunables of the media sink; every one has a default fit for a workstation. */
export interface MediaOptions {
  /** Stop recording (safely) when less than this would be left free. Default 1 GiB. */
  floorBytes: number;
  /** Warn (once each) when free space falls below these. Default 10, 5 and 2 GiB. */
  warnBytes: readonly number[];
  /** Longest time written bytes may wait for an fsync. Default 500 ms (the rule is ≤ 1 s). */
  fsyncIntervalMs: number;
  /** Least time between two `recording.status` pushes of one session. Default 1000 ms. */
  statusIntervalMs: number;
  /** Largest fragment accepted (and held in memory while it arrives). Default 64 MiB. */
  maxUnitBytes: number;
  /** How free space is measured (statfs; tests pass a simulated disk). */
  diskSpace: DiskSpace;
  /**
   * An open segment that receives nothing for this long has lost its writer (a hung or
   * crashed window whose connection was not closed): its segments end and the session is
   * interrupted. Fragments come about every second. Default 15 s; 0 turns the watchdog off.
   */
  stallMs: number;
  /**
   * While recording, every this many ms the hashes written so far (each open segment's size
   * and SHA-256) are appended to the hash-chained audit trail, so tampering with the early
   * part of a long session is detectable before it is sealed. Default 5 min; 0 turns it off.
   */
  checkpointMs: number;
  /**
   * How long each file of a source runs before the next one begins (the file change; the
   * renderer reads it through `recording.settings`). Default 15 minutes; from
   * `ATTEST_SEGMENT_SECONDS` when set.
   */
  segmentSeconds: number;
}

/** The file length from `ATTEST_SEGMENT_SECONDS` (a positive number), else 15 minutes. */
export function segmentSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return parseSegmentSeconds(env.ATTEST_SEGMENT_SECONDS) ?? 15 * 60;
}

/**
 * The shortest file length: a change is announced 1 s ahead and waits up to 3 s more for a
 * stalled track, so a shorter file would let the next change arrive while one is under way
 * (and a worker still busy with it would skip it while the others change).
 */
export const MIN_SEGMENT_SECONDS = 5;

/** A file length given as text (setting or flag), or null when it is not one. */
export function parseSegmentSeconds(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const v = Number(text);
  return Number.isFinite(v) && v >= MIN_SEGMENT_SECONDS ? v : null;
}

export const DEFAULT_MEDIA_OPTIONS: MediaOptions = {
  floorBytes: DEFAULT_FLOOR_BYTES,
  warnBytes: DEFAULT_WARN_BYTES,
  fsyncIntervalMs: 500,
  statusIntervalMs: 1000,
  maxUnitBytes: DEFAULT_MAX_UNIT_BYTES,
  diskSpace: statfsDiskSpace,
  stallMs: 15_000,
  checkpointMs: 5 * 60_000,
  segmentSeconds: segmentSecondsFromEnv(),
};

/** What the transport sends back for a refused media frame: an error frame, and maybe an event. */
export interface MediaRefusal {
  error: ErrorInfo;
  /** A `recording.fault` for the sender alone (null when it was broadcast to everyone). */
  fault: RecordingFaultEvent | null;
}
