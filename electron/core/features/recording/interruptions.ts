/**
 * Faults and interruptions (R3.5). There is no pause: the rules forbid selective recording
 * (R3.2, R3.7), so a segment ends only at its close, at the end of the session, or at a
 * fault, and a fault that stops the recording interrupts the session, on its timeline.
 */
import type {
  CaptureStepInput,
  ClientFaultKind,
  FaultEventKind,
  TimelineEventDto,
} from '../../../shared/api/recording';
import { AppError } from '../../../shared/errors';
import { requireUser, type Caller } from '../context';
import { markInterrupted } from '../sessions';
import type { LiveSegment, RecordingContext } from './context';
import type { RecordingReports } from './reports';
import { closeReasonFor, sessionTimeUs } from './rules';
import type { Segments } from './segments';
import type { StatusPush } from './status-push';

export class Interruptions {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly segments: Segments,
    private readonly status: StatusPush,
    private readonly reports: RecordingReports,
  ) {}

  /** Marks a recording session interrupted, with the reason on the timeline and the audit trail. */
  interrupt(
    sessionId: number,
    reason: string,
    detail: string,
    kind: FaultEventKind,
    stoppedAt?: number,
  ): void {
    const { ctx } = this;
    const { db, audit, now } = ctx.deps;
    const at = now();
    const s = ctx.session(sessionId);
    if (s.status !== 'recording') return;
    db.transaction(() => {
      markInterrupted(db, sessionId);
      ctx.addEvent({
        session: s,
        at,
        kind: 'session.interrupted',
        data: { reason, detail, stoppedAt: stoppedAt ?? at },
      });
      audit.append({
        at,
        actorUserId: null,
        actor: null,
        action: 'session.interrupted',
        entity: 'session',
        entityId: sessionId,
        caseId: s.caseId,
        data: { reason, detail, stoppedAt: stoppedAt ?? at },
      });
    })();
    // No file of an interrupted session stays open: each ends whole here, and the recording
    // continues in new segments once it is resumed (R3.5).
    const closeReason = closeReasonFor(reason);
    for (const seg of ctx.liveOf(sessionId)) {
      ctx.safely(() => this.segments.closeLive(seg, closeReason, null));
    }
    ctx.emitFault({
      sessionId,
      kind,
      sourceId: null,
      segment: null,
      detail,
      atUs: sessionTimeUs(s.startedAt, at),
    });
    ctx.deps.emit('case.changed', { caseId: s.caseId });
    this.status.push(sessionId);
  }

  /**
   * Ends segments whole and interrupts their sessions (R3.5): the writer went away, went
   * silent, or the core is shutting down.
   */
  endAndInterrupt(
    segs: LiveSegment[],
    reason: 'connection_lost' | 'shutdown',
    detail: string,
    fault: FaultEventKind,
  ): void {
    if (segs.length === 0) return;
    const { ctx } = this;
    const sessions = new Set(segs.map((s) => s.sessionId));
    for (const seg of segs) ctx.safely(() => this.segments.closeLive(seg, reason, null));
    for (const sessionId of sessions) {
      ctx.safely(() => this.interrupt(sessionId, reason, detail, fault));
    }
  }

  /** The connection that opened segments went away: they end, their sessions are interrupted. */
  connectionClosed(conn: number): void {
    this.endAndInterrupt(
      [...this.ctx.live.values()].filter((s) => s.owner === conn),
      'connection_lost',
      'the window that was recording closed or lost its connection to the core',
      'connection_lost',
    );
  }

  /** The session ended: segments still open are finished by the core. */
  sessionEnded(sessionId: number): void {
    for (const seg of this.ctx.liveOf(sessionId)) {
      this.ctx.safely(() => this.segments.closeLive(seg, 'session_ended', null));
    }
  }

  /** A fault the renderer reports (a device lost, an encoder error): on the timeline, to all. */
  fault(
    caller: Caller,
    input: {
      sessionId: number;
      kind: ClientFaultKind;
      sourceId?: string | undefined;
      detail: string;
    },
  ): TimelineEventDto {
    const user = requireUser(caller);
    const { ctx } = this;
    const { db, now } = ctx.deps;
    const s = ctx.session(input.sessionId);
    if (s.status === 'planned' || s.status === 'ended' || s.status === 'sealed') {
      throw new AppError('CONFLICT', `the session is ${s.status}`);
    }
    const at = now();
    const id = db.transaction(() =>
      ctx.addEvent({
        session: s,
        at,
        kind: 'fault',
        sourceId: input.sourceId ?? null,
        userId: user.id,
        data: { kind: input.kind, detail: input.detail },
      }),
    )();
    ctx.emitFault({
      sessionId: s.id,
      kind: input.kind,
      sourceId: input.sourceId ?? null,
      segment: null,
      detail: input.detail,
      atUs: sessionTimeUs(s.startedAt, at),
    });
    return this.reports.timeline(s.id).find((e) => e.id === id)!;
  }

  /** A step of the capture ladder: on the timeline (and so in the sealed record), to all. */
  captureStep(caller: Caller, input: CaptureStepInput): TimelineEventDto {
    const user = requireUser(caller);
    const { ctx } = this;
    const { db, now } = ctx.deps;
    const s = ctx.session(input.sessionId);
    if (s.status !== 'recording') throw new AppError('CONFLICT', `the session is ${s.status}`);
    const at = now();
    const { sourceId, direction, fps, fullFps, scale, reason } = input;
    const data = { direction, fps, fullFps, scale, reason };
    const id = db.transaction(() =>
      ctx.addEvent({
        session: s,
        at,
        kind: 'capture.stepped',
        sourceId,
        userId: user.id,
        data,
      }),
    )();
    ctx.deps.emit('recording.step', {
      sessionId: s.id,
      sourceId,
      ...data,
      atUs: sessionTimeUs(s.startedAt, at),
    });
    return this.reports.timeline(s.id).find((e) => e.id === id)!;
  }
}
