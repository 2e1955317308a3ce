/**
 * Recording (R3, R2.4, R4.1): the pre-flight record, media segments, faults and the session
 * timeline. Media bytes themselves travel as binary frames (../media.ts), not through these
 * methods.
 */
import { z } from 'zod';
import {
  idSchema,
  instantSchema,
  SOURCE_ROLES,
  type ParticipantRole,
  type SessionDto,
  type SourceRole,
} from '../domain';
import { mediaHeaderSchema } from '../media';
import { empty, text } from '../schema';
import { CASE_WRITERS, events, method } from './define';
import { isRungOf } from '../rules/capture-ladder';

/** Kinds of capture device a pre-flight maps (the device register's kinds, R3.6). */
export const SOURCE_KINDS = ['camera', 'microphone'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Kinds of segment file: one per device, plus the composed program file. */
export const SEGMENT_KINDS = ['camera', 'microphone', 'program'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

export { SOURCE_ROLES, type SourceRole } from '../domain';

/** Faults the renderer reports (it owns the devices and the encoders). */
export const CLIENT_FAULT_KINDS = [
  'device_lost',
  'device_returned',
  'disk_low',
  'encoder_error',
  'capture_stalled',
  'capture_resumed',
  'other',
] as const;
export type ClientFaultKind = (typeof CLIENT_FAULT_KINDS)[number];

/**
 * Kinds of the `recording.fault` event: the renderer's reports, and what the core itself
 * detects: a media frame it refused, a safe stop before the disk fills, the loss of the
 * connection that was writing, and segments recovered after a crash.
 */
export const FAULT_EVENT_KINDS = [
  ...CLIENT_FAULT_KINDS,
  'write_refused',
  'safe_stop',
  'connection_lost',
  'recovered',
] as const;
export type FaultEventKind = (typeof FAULT_EVENT_KINDS)[number];

/** `open` while written; `closed` when finished; `recovered` when cut back after a crash. */
export const SEGMENT_STATES = ['open', 'closed', 'recovered'] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];

/** Why a segment was closed: by the renderer, or by the core on the renderer's behalf. */
export const SEGMENT_CLOSE_REASONS = [
  'client',
  'session_ended',
  'connection_lost',
  'disk_floor',
  'write_failed',
  'shutdown',
] as const;
export type SegmentCloseReason = (typeof SEGMENT_CLOSE_REASONS)[number];

/** Kinds of entry on a session's timeline (session time in µs; R3.5, R2.4). */
export const TIMELINE_KINDS = [
  'preflight.saved',
  'segment.opened',
  'segment.closed',
  'segment.recovered',
  'fault',
  'write_refused',
  'disk.low',
  'disk.safe_stop',
  'session.interrupted',
  'session.resumed',
  'session.abandoned',
  'capture.stepped',
  /** An observer's note for the record, on the session clock (the live room). */
  'observer.note',
  /**
   * A remote participant joined the live room or left it (the written record names them and
   * how they took part; their sources are recorded like the desk's own).
   */
  'remote.joined',
  'remote.left',
  /** An officer checked a remote participant's identity on video (the credential shown). */
  'remote.identity_checked',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const sourceIdSchema = mediaHeaderSchema.shape.sourceId;
const bytesSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Microseconds on a clock (capture or session); negative values are allowed on the session clock. */
const microsSchema = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

export const preflightSourceSchema = z
  .object({
    sourceId: sourceIdSchema,
    kind: z.enum(SOURCE_KINDS),
    /** The device's label as the browser reports it (for the record; the device number identifies it). */
    label: text(200),
    /** 设备编号 of the registered, active device (R3.6). */
    deviceNo: z
      .string()
      .trim()
      .min(2)
      .max(32)
      .regex(/^[A-Za-z0-9-]+$/),
    role: z.enum(SOURCE_ROLES),
  })
  .strict();

/** What the officer checked before recording (R3.6): sources, storage, clock. */
export const preflightSchema = z
  .object({
    sources: z.array(preflightSourceSchema).min(1).max(16),
    disk: z.object({ freeBytes: bytesSchema, expectedBytes: bytesSchema }).strict(),
    clock: z
      .object({
        /** The renderer's UTC ms when the check was shown. */
        utc: instantSchema,
        /** IANA time zone the officer saw. */
        timeZone: text(64),
        /** performance.timeOrigin + performance.now() − Date.now(), if measured. */
        monotonicOffsetMs: z.number().finite().optional(),
        /**
         * The round trip (ms) of the page's best reading of the core's clock: session time 0
         * sits on the page's clock to within half of it.
         */
        coreTripMs: z.number().min(0).max(600_000).optional(),
      })
      .strict(),
    /** UTC ms when the officer confirmed the check. */
    confirmedAt: instantSchema,
    /**
     * The trial run (试录检测), when the officer ran one: each picture source's proposed rate and
     * the worst it showed, and how much room the machine had (`load`: the slowest frame's
     * encode time as a share of its interval).
     */
    trial: z
      .object({
        seconds: z.number().int().min(1).max(120),
        sources: z
          .array(
            z
              .object({
                sourceId: sourceIdSchema,
                rung: z.number().int().min(0).max(16),
                fps: z.number().positive().max(120),
                fullFps: z.number().positive().max(120),
                scale: z.number().positive().max(1),
                queueMax: z.number().int().min(0).max(10_000),
                latencyMaxMs: z.number().min(0).max(600_000),
              })
              .strict(),
          )
          .max(16),
        load: z.number().min(0).max(1_000),
        headroom: z.enum(['ample', 'tight', 'over']),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    // Case-insensitively: source ids name files, and Windows file names ignore case.
    const ids = p.sources.map((s) => s.sourceId.toLowerCase());
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: ['sources'], message: 'a source id is used twice' });
    }
    const devices = p.sources.map((s) => s.deviceNo.toUpperCase());
    if (new Set(devices).size !== devices.length) {
      ctx.addIssue({ code: 'custom', path: ['sources'], message: 'a device is mapped twice' });
    }
  });
export type PreflightInput = z.output<typeof preflightSchema>;

export const openSegmentSchema = z
  .object({
    sessionId: idSchema,
    sourceId: sourceIdSchema,
    kind: z.enum(SEGMENT_KINDS),
    /** RFC 6381 codec string, e.g. avc1.640028, opus, mp4a.40.2. */
    codec: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9.+_-]+$/),
    width: z.number().int().min(1).max(16384).optional(),
    height: z.number().int().min(1).max(16384).optional(),
    frameRate: z.number().positive().max(1000).optional(),
    sampleRate: z.number().int().min(1).max(768_000).optional(),
    channels: z.number().int().min(1).max(64).optional(),
    /** Which encoder makes a picture file: the machine's hardware encoder, or software. */
    encoder: z.enum(['hardware', 'software']).optional(),
    /** Capture-clock µs of the segment's first frame or sample (VideoFrame/AudioData timestamp). */
    firstCaptureTimeUs: microsSchema,
    /** That first frame on the session clock (µs since session time 0). */
    sessionTimeUs: microsSchema,
  })
  .strict();
export type OpenSegmentInput = z.output<typeof openSegmentSchema>;

export const segmentRefSchema = z
  .object({
    sessionId: idSchema,
    sourceId: sourceIdSchema,
    segment: z.number().int().min(0).max(100_000),
  })
  .strict();

/** Largest piece of a media file one `recording.read` returns (JSON frames are capped at 1 MiB). */
export const MAX_MEDIA_READ_BYTES = 512 * 1024;

export const mediaReadSchema = segmentRefSchema
  .extend({
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    length: z.number().int().min(1).max(MAX_MEDIA_READ_BYTES),
    /** Read under this grant (else the team's right or any grant that covers the session). */
    grantId: idSchema.optional(),
  })
  .strict();

export interface MediaReadDto {
  /** The bytes, base64. */
  data: string;
  bytes: number;
  /** True when the read reached the end of the file as it is now. */
  eof: boolean;
}

export const faultSchema = z
  .object({
    sessionId: idSchema,
    kind: z.enum(CLIENT_FAULT_KINDS),
    sourceId: sourceIdSchema.optional(),
    detail: text(2000),
  })
  .strict();

/** A step of the capture ladder the recording engine took (shared/rules/capture-ladder.ts). */
export const captureStepSchema = z
  .object({
    sessionId: idSchema,
    sourceId: sourceIdSchema,
    direction: z.enum(['down', 'up']),
    /** The rate the source runs at from now on, and the rate it was opened at. */
    fps: z.number().positive().max(120),
    fullFps: z.number().positive().max(120),
    /** The picture's scale from the step on: 1, or ½ (half width and height, from a new file). */
    scale: z.number().positive().max(1).default(1),
    /** What was measured when the step was taken. */
    reason: text(500),
  })
  .strict()
  .refine((s) => isRungOf(s.fullFps, s.fps, s.scale), {
    message: 'not a rung of the capture ladder',
    path: ['fps'],
  });
export type CaptureStepInput = z.output<typeof captureStepSchema>;

// ---------------------------------------------------------------------------------------
// DTOs

export interface DiskDto {
  /** The data directory the space is measured on. */
  path: string;
  freeBytes: number;
  totalBytes: number;
  /** Below this the core stops recording safely (configurable; 1 GiB by default). */
  floorBytes: number;
}

export interface RecordingSettingsDto {
  /** How long each file of a source runs before the next begins (the file change). */
  segmentSeconds: number;
}

export interface PreflightDto {
  id: number;
  sessionId: number;
  preflight: PreflightInput;
  /** What the core itself measured when it stored the check. */
  core: {
    at: number;
    timeZone: string;
    freeBytes: number;
    totalBytes: number;
    clockSkewMs: number;
  };
  savedBy: number;
  savedAt: number;
}

export interface SegmentStatusDto {
  sessionId: number;
  sourceId: string;
  segment: number;
  kind: SegmentKind;
  /** Relative to the data directory, with forward slashes. */
  path: string;
  codec: string;
  state: SegmentState;
  closeReason: SegmentCloseReason | null;
  /** Bytes in the file (for an open segment: written so far). */
  bytes: number;
  /** Whole moof+mdat fragments in the file. */
  fragments: number;
  /** Received but not yet part of a whole fragment (held in memory). */
  pendingBytes: number;
  /** Media time the file covers. */
  durationUs: number | null;
  /** SHA-256 of the file as written so far (final once closed or recovered). */
  sha256: string | null;
  /** UTC ms of the last fsync of an open segment. */
  lastFsyncAt: number | null;
  firstCaptureTimeUs: number;
  sessionTimeUs: number;
  openedAt: number;
  closedAt: number | null;
  /** For a recovered segment: what was cut and why. */
  recovery: {
    bytesCut: number;
    reason: string;
    /** What was cut, kept beside the file (data-directory relative), and its SHA-256 when recorded. */
    cutFiles: { path: string; sha256: string | null }[];
  } | null;
}

/** A source as its pre-flight check named it: the registered device and what it shows. */
export interface NamedSourceDto {
  sourceId: string;
  kind: SourceKind;
  /** The registered device number ('' for a remote participant's source). */
  deviceNo: string;
  role: SourceRole;
  /** A remote participant's camera or microphone, received through the live room: whose. */
  remote?: { name: string; role: ParticipantRole };
}

export interface RecordingStatusDto {
  sessionId: number;
  sessionStatus: SessionDto['status'];
  preflight: { id: number; savedAt: number; confirmedAt: number } | null;
  disk: DiskDto;
  segments: SegmentStatusDto[];
  /** Every source the session's pre-flight checks named (the latest check's naming wins). */
  sources: NamedSourceDto[];
}

export interface SegmentSummaryDto {
  bytes: number;
  fragments: number;
  sha256: string;
  durationUs: number | null;
  /** Bytes received after the last whole fragment, not written (an unfinished fragment). */
  discardedBytes: number;
}

export interface SourceOffsetDto {
  sourceId: string;
  kind: SegmentKind;
  segment: number;
  firstCaptureTimeUs: number;
  sessionTimeUs: number;
  /** sessionTimeUs − the reference's sessionTimeUs: how much later this source's first frame is. */
  offsetUs: number;
  /** sessionTimeUs − firstCaptureTimeUs: the mapping of this capture clock onto the session clock. */
  captureToSessionUs: number;
}

export interface OffsetsDto {
  sessionId: number;
  /** The earliest first frame of the session (offsets are measured from it). */
  reference: { sourceId: string; segment: number } | null;
  /** Each source's first segment. */
  sources: SourceOffsetDto[];
  /** Every segment, rejoins included. */
  segments: SourceOffsetDto[];
  measuredAt: number;
}

export interface FragmentDto {
  seq: number;
  kind: 'init' | 'fragment' | 'tail';
  offset: number;
  size: number;
  decodeTimeUs: number | null;
  durationUs: number | null;
  journaledAt: number;
  /** Found in the file by crash recovery rather than journaled as it was written. */
  recovered: boolean;
}

export interface TimelineEventDto {
  id: number;
  sessionId: number;
  /** UTC ms. */
  at: number;
  /** Session time in µs (null before the session started). */
  atUs: number | null;
  kind: TimelineKind;
  sourceId: string | null;
  segment: number | null;
  userId: number | null;
  data: unknown;
}

export interface RecoverResultDto {
  segments: {
    sessionId: number;
    sourceId: string;
    segment: number;
    path: string;
    bytesCut: number;
    keptBytes: number;
    fragments: number;
    sha256: string | null;
    reason: string;
  }[];
  /** Sessions marked interrupted. */
  sessions: number[];
}

/** Payload of the `recording.fault` event. */
export interface RecordingFaultEvent {
  sessionId: number | null;
  kind: FaultEventKind;
  sourceId: string | null;
  segment: number | null;
  detail: string;
  atUs: number | null;
  /** The error code, for a refused media frame. */
  code?: string;
}

// ---------------------------------------------------------------------------------------
// Methods and events

export const recordingMethods = {
  /** Free space on the disk of the data directory (pre-flight, R3.6). */
  'system.disk': method<DiskDto>()(empty, 'user'),
  /** The recording settings the page records with: how long each file runs. */
  'recording.settings': method<RecordingSettingsDto>()(empty, 'user'),
  /**
   * Stores what the officer checked before recording (R3.6): each source mapped to a
   * registered, active device number and a role, the disk, the clock. Required before any
   * segment is opened; may be saved again (each confirmation is kept).
   */
  'recording.savePreflight': method<PreflightDto>()(
    z.object({ sessionId: idSchema, preflight: preflightSchema }).strict(),
    CASE_WRITERS,
  ),
  /**
   * Opens the next segment of a source on a recording session: a new file
   * `sessions/<sid>/media/<sourceId>-<segment:000>.mp4`. Its bytes then come as binary media
   * frames (electron/shared/media.ts) from offset 0.
   */
  'recording.openSegment': method<{ segment: number; path: string }>()(
    openSegmentSchema,
    CASE_WRITERS,
  ),
  /** Finishes a segment: writes what is whole, fsyncs, and returns its size and SHA-256. */
  'recording.closeSegment': method<SegmentSummaryDto>()(segmentRefSchema, CASE_WRITERS),
  /** Records a fault the renderer saw (a device lost or back, an encoder error) on the timeline. */
  'recording.fault': method<TimelineEventDto>()(faultSchema, CASE_WRITERS),
  /**
   * A source stepped down (or back up) the capture ladder: on the session's timeline and in
   * its sealed record, with the rate and why; every window of the session is told.
   */
  'recording.captureStep': method<TimelineEventDto>()(captureStepSchema, CASE_WRITERS),
  /**
   * Every segment of a session with its bytes, fragments, hash so far and last fsync (what
   * was recorded, not its content: playing it back goes through `recording.read`).
   */
  'recording.status': method<RecordingStatusDto>()(
    z.object({ sessionId: idSchema }).strict(),
    'user',
  ),
  /** The measured offsets between sources (first frames on the session clock), kept with the session. */
  'recording.offsets': method<OffsetsDto>()(
    z.object({ sessionId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /** The journal of one segment: every whole fragment with its offset, size and media time. */
  'recording.fragments': method<FragmentDto[]>()(segmentRefSchema, 'user'),
  /**
   * A piece of a segment file, for playback in sync by session time. Any signed-in user may
   * ask; the core allows the case team and holders of a grant (features/access), audited.
   */
  'recording.read': method<MediaReadDto>()(mediaReadSchema, 'user'),
  /** The session's timeline: segments, faults, interruptions, resumptions, in order. */
  'recording.timeline': method<TimelineEventDto[]>()(
    z.object({ sessionId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  /**
   * Recovers segments left open by a core that died (also done at every core start): each
   * file is cut back to its last whole fragment and rehashed, its session marked interrupted.
   */
  'recording.recover': method<RecoverResultDto>()(empty, CASE_WRITERS),
} as const;

export interface RecordingEvents {
  /** A session's segments moved on (at most once a second per session while media flows). */
  'recording.status': RecordingStatusDto;
  /** A fault on a session's recording: reported by the renderer or detected by the core. */
  'recording.fault': RecordingFaultEvent;
  /** A source stepped down or up the capture ladder. */
  'recording.step': RecordingStepEvent;
}
export const RECORDING_EVENTS = events<RecordingEvents>()([
  'recording.status',
  'recording.fault',
  'recording.step',
]);

export interface RecordingStepEvent {
  sessionId: number;
  sourceId: string;
  direction: 'down' | 'up';
  fps: number;
  fullFps: number;
  scale: number;
  reason: string;
  /** Session time of the step (µs). */
  atUs: number | null;
}
