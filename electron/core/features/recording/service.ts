/**
 * The core side of recording (R3, R2.4, R3.5, R3.6): the pre-flight record, the media sink
 * (segments written one whole fragment per write, hashed as written, fsynced at least once a
 * second and journaled after each fsync), faults and the session timeline, crash recovery,
 * and the resume/abandon paths of an interrupted session.
 *
 * Capture and encoding happen in the renderer; what arrives here are binary media frames
 * (electron/shared/media.ts) carrying runs of a segment's fragmented-MP4 bytes at stated
 * offsets. This class is the one face of recording to the handlers and the core; each part
 * lives in its own module and shares a RecordingContext (the segments this core has open).
 */
import type { DecodedMediaFrame } from '../../../shared/media';
import type { OfficerConfirmation, SessionDto, UserDto } from '../../../shared/domain';
import type {
  ClientFaultKind,
  DiskDto,
  RecordingSettingsDto,
  FragmentDto,
  OffsetsDto,
  OpenSegmentInput,
  PreflightDto,
  PreflightInput,
  RecordingStatusDto,
  RecoverResultDto,
  SegmentSummaryDto,
  TimelineEventDto,
} from '../../../shared/api/recording';
import type { Caller, EvidenceGuard, ServiceDeps } from '../context';
import type { RecordingStop, SessionsService } from '../sessions';
import type { UsersService } from '../users';
import { RecordingContext, type SegmentRef } from './context';
import { CrashRecovery } from './crash-recovery';
import { DiskGuard } from './disk-guard';
import { MediaFrames } from './frames';
import { Interruptions } from './interruptions';
import { DEFAULT_MEDIA_OPTIONS, type MediaOptions, type MediaRefusal } from './options';
import { Preflight } from './preflight';
import { RecordingReports } from './reports';
import { Resumption } from './resumption';
import { Segments, type RemoteSourceCheck } from './segments';
import { StatusPush } from './status-push';
import { RecordingWatch } from './watch';

export class RecordingService implements RecordingStop {
  private readonly ctx: RecordingContext;
  private readonly reports: RecordingReports;
  private readonly pushes: StatusPush;
  private readonly preflight: Preflight;
  private readonly segments: Segments;
  private readonly interruptions: Interruptions;
  private readonly guard: DiskGuard;
  private readonly frames: MediaFrames;
  private readonly recovery: CrashRecovery;
  private readonly resumption: Resumption;
  private readonly watch: RecordingWatch;

  constructor(
    deps: ServiceDeps,
    sessions: SessionsService,
    users: UsersService,
    dataDir: string,
    guard: EvidenceGuard,
    options: Partial<MediaOptions> = {},
    log: (line: string) => void = () => undefined,
    remoteSource?: RemoteSourceCheck,
  ) {
    const ctx = new RecordingContext(deps, dataDir, { ...DEFAULT_MEDIA_OPTIONS, ...options }, log);
    this.ctx = ctx;
    this.reports = new RecordingReports(ctx, guard);
    this.pushes = new StatusPush(ctx, this.reports);
    this.preflight = new Preflight(ctx, this.pushes);
    // A failed fsync is the disk guard's to handle; the guard needs the segments, so the
    // segments reach it through this callback.
    this.segments = new Segments(
      ctx,
      this.pushes,
      this.reports,
      (seg, e) => this.guard.writeFailed(seg, e),
      remoteSource,
    );
    this.interruptions = new Interruptions(ctx, this.segments, this.pushes, this.reports);
    this.guard = new DiskGuard(ctx, this.segments, this.interruptions);
    this.frames = new MediaFrames(ctx, this.segments, this.guard, this.pushes);
    this.recovery = new CrashRecovery(ctx, this.interruptions);
    this.resumption = new Resumption(ctx, sessions, users, this.pushes);
    this.watch = new RecordingWatch(ctx, this.interruptions);
    this.watch.start();
  }

  // system.disk and the pre-flight (R3.6)

  disk(): DiskDto {
    return this.ctx.disk();
  }

  settings(): RecordingSettingsDto {
    return { segmentSeconds: this.ctx.opts.segmentSeconds };
  }

  savePreflight(caller: Caller, sessionId: number, preflight: PreflightInput): PreflightDto {
    return this.preflight.save(caller, sessionId, preflight);
  }

  // Segments and media frames

  openSegment(
    caller: Caller,
    conn: number,
    input: OpenSegmentInput,
  ): { segment: number; path: string } {
    return this.segments.open(caller, conn, input);
  }

  closeSegment(caller: Caller, conn: number, ref: SegmentRef): SegmentSummaryDto {
    return this.segments.close(caller, conn, ref);
  }

  /**
   * Takes one binary media frame from a connection. Returns null when it was accepted, else
   * the refusal for the sender. Never throws: a bad frame must not take the core down.
   */
  receiveMedia(user: UserDto | null, conn: number, frame: DecodedMediaFrame): MediaRefusal | null {
    return this.frames.receive(user, conn, frame);
  }

  // Faults, status, offsets, journal, timeline

  fault(
    caller: Caller,
    input: {
      sessionId: number;
      kind: ClientFaultKind;
      sourceId?: string | undefined;
      detail: string;
    },
  ): TimelineEventDto {
    return this.interruptions.fault(caller, input);
  }

  captureStep(
    caller: Caller,
    input: Parameters<Interruptions['captureStep']>[1],
  ): TimelineEventDto {
    return this.interruptions.captureStep(caller, input);
  }

  status(sessionId: number): RecordingStatusDto {
    return this.reports.status(sessionId);
  }

  offsets(sessionId: number): OffsetsDto {
    return this.reports.offsets(sessionId);
  }

  /** Reads part of a segment file for playback (stable while it records: whole fragments). */
  read(
    caller: Caller,
    ref: SegmentRef,
    offset: number,
    length: number,
    grantId?: number,
  ): { data: string; bytes: number; eof: boolean } {
    return this.reports.read(caller, ref, offset, length, grantId);
  }

  fragments(ref: SegmentRef): FragmentDto[] {
    return this.reports.fragments(ref);
  }

  timeline(sessionId: number): TimelineEventDto[] {
    return this.reports.timeline(sessionId);
  }

  /**
   * Where the recorded media of a session ends, in session ms (the latest segment end), or
   * null when nothing was recorded. The written end time may not claim less (R2.4).
   */
  mediaEndMs(sessionId: number): number | null {
    return this.reports.mediaEndMs(sessionId);
  }

  // Crash recovery, resume, abandon (R3.5)

  /**
   * Recovers segments a previous core left open (cut back to their last whole fragment) and
   * interrupts their sessions; at start-up, every session still recording as well.
   */
  recover(caller: Caller | null, atStartup = false): RecoverResultDto {
    return this.recovery.recover(caller, atStartup);
  }

  resume(caller: Caller, id: number, reason: string): SessionDto {
    return this.resumption.resume(caller, id, reason);
  }

  /** Ends an interrupted session that cannot resume, on its officers' signed statement (R3.5). */
  abandon(
    caller: Caller,
    id: number,
    statement: string,
    officerIds: number[],
    confirmations: (OfficerConfirmation & { officerId: number })[],
  ): Promise<SessionDto> {
    return this.resumption.abandon(caller, id, statement, officerIds, confirmations);
  }

  // Lifecycle

  /** Appends, per recording session, the hashes of its open segments so far. */
  checkpoint(): void {
    this.watch.checkpoint();
  }

  /** Whether this connection writes a file of the session now (it is the recording desk). */
  recordsOn(conn: number, sessionId: number): boolean {
    for (const seg of this.ctx.live.values()) {
      if (seg.owner === conn && seg.sessionId === sessionId) return true;
    }
    return false;
  }

  /** The connection that opened segments went away: they end, their sessions are interrupted. */
  connectionClosed(conn: number): void {
    this.interruptions.connectionClosed(conn);
  }

  /** The session ended: segments still open are finished by the core. */
  sessionEnded(sessionId: number): void {
    this.interruptions.sessionEnded(sessionId);
  }

  /** The core is closing: open segments end whole, their sessions are interrupted. */
  close(): void {
    this.interruptions.endAndInterrupt(
      [...this.ctx.live.values()],
      'shutdown',
      'the core was shut down while recording',
      'safe_stop',
    );
    this.ctx.closed = true;
    this.watch.stop();
    this.pushes.stop();
  }
}
