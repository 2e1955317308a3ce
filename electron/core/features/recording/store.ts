/**
 * SQL on recording's tables: `recording_preflights` (what was checked before recording),
 * `media_segments` (one row per segment file) and `media_fragments` (the journal of whole
 * units written). Each function runs inside the caller's transaction where it has one.
 */
import type {
  FragmentDto,
  PreflightInput,
  SegmentCloseReason,
  SegmentKind,
  SegmentState,
} from '../../../shared/api/recording';
import type { Db } from '../../platform/db/database';
import type { UnitKind } from './media';

export interface SegmentRow {
  id: number;
  session_id: number;
  source_id: string;
  segment: number;
  kind: SegmentKind;
  path: string;
  codec: string;
  first_capture_time_us: number;
  session_time_us: number;
  opened_at: number;
  closed_at: number | null;
  state: SegmentState;
  close_reason: SegmentCloseReason | null;
  bytes: number;
  fragments: number;
  duration_us: number | null;
  sha256: string | null;
  recovery: string | null;
}

/** The columns the offsets between sources are measured from. */
export type OffsetRow = Pick<
  SegmentRow,
  'source_id' | 'kind' | 'segment' | 'first_capture_time_us' | 'session_time_us'
>;

/** One whole unit of a segment file, as journaled. */
export interface JournalUnit {
  seq: number;
  kind: UnitKind;
  offset: number;
  size: number;
  decodeTimeUs: number | null;
  durationUs: number | null;
}

// -------------------------------------------------------------------------------------
// Pre-flight records

/** Keeps one confirmed pre-flight check; returns its id. */
export function insertPreflight(
  db: Db,
  p: { sessionId: number; preflight: PreflightInput; core: unknown; savedBy: number; at: number },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO recording_preflights (session_id, preflight, core, saved_by, saved_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(p.sessionId, JSON.stringify(p.preflight), JSON.stringify(p.core), p.savedBy, p.at)
      .lastInsertRowid,
  );
}

/** The session's latest pre-flight check, or null when none was saved. */
export function latestPreflight(
  db: Db,
  sessionId: number,
): { id: number; preflight: PreflightInput; savedAt: number } | null {
  const row = db
    .prepare(
      'SELECT id, preflight, saved_at FROM recording_preflights WHERE session_id = ? ORDER BY id DESC LIMIT 1',
    )
    .get(sessionId) as { id: number; preflight: string; saved_at: number } | undefined;
  return row
    ? {
        id: row.id,
        preflight: JSON.parse(row.preflight) as PreflightInput,
        savedAt: row.saved_at,
      }
    : null;
}

// -------------------------------------------------------------------------------------
// Segments

/** The highest segment number of a source in a session, or null when it has none yet. */
export function lastSegmentNumber(db: Db, sessionId: number, sourceId: string): number | null {
  const row = db
    .prepare('SELECT MAX(segment) AS n FROM media_segments WHERE session_id = ? AND source_id = ?')
    .get(sessionId, sourceId) as { n: number | null };
  return row.n;
}

/** A new open segment; returns its id. */
export function insertSegment(
  db: Db,
  s: {
    sessionId: number;
    sourceId: string;
    segment: number;
    kind: SegmentKind;
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
    openedBy: number;
    encoder?: 'hardware' | 'software' | null;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO media_segments (session_id, source_id, segment, kind, path, codec, width, height,
           frame_rate, sample_rate, channels, first_capture_time_us, session_time_us, opened_at, opened_by,
           encoder)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.sessionId,
        s.sourceId,
        s.segment,
        s.kind,
        s.path,
        s.codec,
        s.width,
        s.height,
        s.frameRate,
        s.sampleRate,
        s.channels,
        s.firstCaptureTimeUs,
        s.sessionTimeUs,
        s.openedAt,
        s.openedBy,
        s.encoder ?? null,
      ).lastInsertRowid,
  );
}

/** A segment by what names it in the contract, or undefined. */
export function segmentByRef(
  db: Db,
  sessionId: number,
  sourceId: string,
  segment: number,
): SegmentRow | undefined {
  return db
    .prepare('SELECT * FROM media_segments WHERE session_id = ? AND source_id = ? AND segment = ?')
    .get(sessionId, sourceId, segment) as SegmentRow | undefined;
}

/** The segments of a session in the order they were opened. */
export function segmentsOfSession(db: Db, sessionId: number): SegmentRow[] {
  return db
    .prepare('SELECT * FROM media_segments WHERE session_id = ? ORDER BY id')
    .all(sessionId) as SegmentRow[];
}

/** Segments still marked open, oldest first (after a crash: the ones to recover). */
export function openSegmentRows(db: Db): SegmentRow[] {
  return db
    .prepare("SELECT * FROM media_segments WHERE state = 'open' ORDER BY id")
    .all() as SegmentRow[];
}

/** The rows the offsets between a session's sources are measured from, in opening order. */
export function offsetRows(db: Db, sessionId: number): OffsetRow[] {
  return db
    .prepare(
      'SELECT source_id, kind, segment, first_capture_time_us, session_time_us FROM media_segments WHERE session_id = ? ORDER BY id',
    )
    .all(sessionId) as OffsetRow[];
}

/** Segment numbers by segment id, for the segments of a session. */
export function segmentNumbers(db: Db, sessionId: number): Map<number, number> {
  const rows = db
    .prepare('SELECT id, segment FROM media_segments WHERE session_id = ?')
    .all(sessionId) as { id: number; segment: number }[];
  return new Map(rows.map((r) => [r.id, r.segment]));
}

/** The latest end of a session's segments that hold media, in session µs, or null. */
export function mediaEndUs(db: Db, sessionId: number): number | null {
  const row = db
    .prepare(
      `SELECT MAX(session_time_us + COALESCE(duration_us, 0)) AS end_us
       FROM media_segments WHERE session_id = ? AND fragments > 0`,
    )
    .get(sessionId) as { end_us: number | null };
  return row.end_us;
}

/** An open segment's size so far (after each journaled fsync). */
export function updateSegmentProgress(
  db: Db,
  id: number,
  p: { bytes: number; fragments: number; durationUs: number | null },
): void {
  db.prepare(
    "UPDATE media_segments SET bytes = ?, fragments = ?, duration_us = ? WHERE id = ? AND state = 'open'",
  ).run(p.bytes, p.fragments, p.durationUs, id);
}

/** Finishes a segment: closed, with its final size and hash. */
export function markSegmentClosed(
  db: Db,
  id: number,
  c: {
    at: number;
    reason: SegmentCloseReason;
    bytes: number;
    fragments: number;
    durationUs: number | null;
    sha256: string;
    /** Null when the file could not be closed cleanly (its SHA-512 was not kept). */
    sha512?: string | null;
    discardedBytes: number;
  },
): void {
  db.prepare(
    `UPDATE media_segments SET state = 'closed', closed_at = ?, close_reason = ?, bytes = ?, fragments = ?,
       duration_us = ?, sha256 = ?, sha512 = ?, discarded_bytes = ? WHERE id = ?`,
  ).run(
    c.at,
    c.reason,
    c.bytes,
    c.fragments,
    c.durationUs,
    c.sha256,
    c.sha512 ?? null,
    c.discardedBytes,
    id,
  );
}

/** Finishes a segment left open by a crash: recovered, with what was kept, cut and why. */
export function markSegmentRecovered(
  db: Db,
  id: number,
  r: {
    at: number;
    bytes: number;
    fragments: number;
    durationUs: number | null;
    sha256: string;
    recovery: unknown;
  },
): void {
  db.prepare(
    `UPDATE media_segments SET state = 'recovered', closed_at = ?, bytes = ?, fragments = ?, duration_us = ?,
       sha256 = ?, recovery = ? WHERE id = ?`,
  ).run(r.at, r.bytes, r.fragments, r.durationUs, r.sha256, JSON.stringify(r.recovery), id);
}

// -------------------------------------------------------------------------------------
// The journal of fragments

/** Journals whole units of a segment (`recovered`: found in the file beyond the journal). */
export function insertFragments(
  db: Db,
  segmentId: number,
  units: readonly JournalUnit[],
  at: number,
  recovered = false,
): void {
  const insert = db.prepare(
    `INSERT INTO media_fragments (segment_id, seq, kind, offset, size, decode_time_us, duration_us, journaled_at, recovered)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const u of units) {
    insert.run(
      segmentId,
      u.seq,
      u.kind,
      u.offset,
      u.size,
      u.decodeTimeUs,
      u.durationUs,
      at,
      recovered ? 1 : 0,
    );
  }
}

/** How much of a segment the journal holds: units, bytes (end of the last), last journal time. */
export function journalSummary(
  db: Db,
  segmentId: number,
): { n: number; bytes: number; last: number | null } {
  return db
    .prepare(
      'SELECT COUNT(*) AS n, COALESCE(MAX(offset + size), 0) AS bytes, MAX(journaled_at) AS last FROM media_fragments WHERE segment_id = ?',
    )
    .get(segmentId) as { n: number; bytes: number; last: number | null };
}

/** A segment's journal in file order. */
export function fragmentsOf(db: Db, segmentId: number): FragmentDto[] {
  return (
    db
      .prepare(
        `SELECT seq, kind, offset, size, decode_time_us, duration_us, journaled_at, recovered
         FROM media_fragments WHERE segment_id = ? ORDER BY seq`,
      )
      .all(segmentId) as {
      seq: number;
      kind: FragmentDto['kind'];
      offset: number;
      size: number;
      decode_time_us: number | null;
      duration_us: number | null;
      journaled_at: number;
      recovered: number;
    }[]
  ).map((f) => ({
    seq: f.seq,
    kind: f.kind,
    offset: f.offset,
    size: f.size,
    decodeTimeUs: f.decode_time_us,
    durationUs: f.duration_us,
    journaledAt: f.journaled_at,
    recovered: f.recovered === 1,
  }));
}

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
  /**
   * Session time (µs) where the file's media ends: the end of its last fragment, over all
   * its tracks (its fragments' time stamps are on the session clock); null before the first.
   */
  mediaEndUs: number | null;
  /** As hashed while it was written; null while open. */
  sha256: string | null;
  /** SHA-512 as written (null for files closed before it was kept, or recovered after a crash). */
  sha512: string | null;
  /** Which encoder made a picture file (null: not said, or sound). */
  encoder: 'hardware' | 'software' | null;
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
              bytes, fragments, duration_us AS durationUs,
              (SELECT MAX(f.decode_time_us + f.duration_us) FROM media_fragments f
                WHERE f.segment_id = media_segments.id) AS mediaEndUs,
              sha256, sha512, discarded_bytes AS discardedBytes, recovery, encoder
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
