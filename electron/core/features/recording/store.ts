import type { Db } from '../../platform/db/database';

// Queries other features use

/** How many media segments a session has and their bytes in all. */
export function mediaSegmentTotals(db: Db, sessionId: number): { count: number; bytes: number } {
  const r = db
    .prepare('SELECT count(*) AS n, sum(bytes) AS bytes FROM media_segments WHERE session_id = ?')
    .get(sessionId) as { n: number; bytes: number | null };
  return { count: r.n, bytes: r.bytes ?? 0 };
}

/** A media segment of a session as recorded (table `media_segments`), for the sealed record. */
export interface RecordedSegment {
  id: number;
  sourceId: string;
  segment: number;
  kind: 'camera' | 'microphone' | 'program';
  /** Relative to the data directory, '/'-separated. */
  path: string;
  codec: string;
  width: number | null;
  height: number | null;
  frameRate: number | null;
  sampleRate: number | null;
  channels: number | null;
  firstCaptureTimeUs: number;
  sessionTimeUs: number;
  openedAt: number;
  closedAt: number | null;
  state: 'open' | 'closed' | 'recovered';
  closeReason: string | null;
  bytes: number;
  fragments: number;
  durationUs: number | null;
  /** As hashed while it was written; null while open. */
  sha256: string | null;
  discardedBytes: number;
  /** What a recovery found (JSON), or null. */
  recovery: string | null;
}

/** Every media segment of a session, by kind, source and segment number. */
export function recordedSegmentsOf(db: Db, sessionId: number): RecordedSegment[] {
  return db
    .prepare(
      `SELECT id, source_id AS sourceId, segment, kind, path, codec, width, height,
              frame_rate AS frameRate, sample_rate AS sampleRate, channels,
              first_capture_time_us AS firstCaptureTimeUs, session_time_us AS sessionTimeUs,
              opened_at AS openedAt, closed_at AS closedAt, state, close_reason AS closeReason,
              bytes, fragments, duration_us AS durationUs, sha256,
              discarded_bytes AS discardedBytes, recovery
       FROM media_segments WHERE session_id = ? ORDER BY kind, source_id, segment`,
    )
    .all(sessionId) as RecordedSegment[];
}

/** A pre-flight check saved for a session (table `recording_preflights`, R3.6). */
export interface RecordedPreflight {
  id: number;
  /** The renderer's checks (JSON). */
  preflight: string;
  /** What the core measured itself (JSON). */
  core: string;
  savedAt: number;
  savedBy: number;
}

/** Every pre-flight check saved for a session, oldest first. */
export function recordedPreflightsOf(db: Db, sessionId: number): RecordedPreflight[] {
  return db
    .prepare(
      `SELECT id, preflight, core, saved_at AS savedAt, saved_by AS savedBy
       FROM recording_preflights WHERE session_id = ? ORDER BY id`,
    )
    .all(sessionId) as RecordedPreflight[];
}
