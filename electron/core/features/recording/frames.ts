/**
 * Binary media frames (electron/shared/media.ts): runs of a segment's fragmented-MP4 bytes
 * at stated offsets, from the window that opened the segment. Whole fragments are written one
 * per write and hashed as written; anything else is refused without touching the file.
 */
import { performance } from 'node:perf_hooks';
import { CASE_WRITERS } from '../../../shared/api/index';
import type { RecordingFaultEvent } from '../../../shared/api/recording';
import type { UserDto } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import type { DecodedMediaFrame } from '../../../shared/media';
import type { LiveSegment, RecordingContext } from './context';
import type { DiskGuard } from './disk-guard';
import type { MediaRefusal } from './options';
import { sessionTimeUs } from './rules';
import type { Segments } from './segments';
import type { StatusPush } from './status-push';

export class MediaFrames {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly segments: Segments,
    private readonly guard: DiskGuard,
    private readonly status: StatusPush,
  ) {}

  /**
   * Takes one binary media frame from a connection. Returns null when it was accepted, else
   * the refusal for the sender. Never throws: a bad frame must not take the core down.
   */
  receive(user: UserDto | null, conn: number, frame: DecodedMediaFrame): MediaRefusal | null {
    try {
      return this.accept(user, conn, frame);
    } catch (e) {
      this.ctx.log(
        `recording: media frame failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      return {
        error: { code: 'INTERNAL', message: 'internal error; see the core log' },
        fault: null,
      };
    }
  }

  private accept(
    user: UserDto | null,
    conn: number,
    frame: DecodedMediaFrame,
  ): MediaRefusal | null {
    const { ctx } = this;
    const senderOnly = (
      code: ErrorCode,
      message: string,
      ref?: { sourceId: string; segment: number },
    ): MediaRefusal => ({
      error: { code, message },
      fault: {
        sessionId: null,
        kind: 'write_refused',
        sourceId: ref?.sourceId ?? null,
        segment: ref?.segment ?? null,
        detail: message,
        atUs: null,
        code,
      },
    });
    if (!frame.ok) {
      return senderOnly(
        frame.message.includes('too large') ? 'FRAME_TOO_LARGE' : 'BAD_FRAME',
        frame.message,
      );
    }
    const { sourceId, segment, offset } = frame.header;
    const ref = { sourceId, segment };
    if (!user) return senderOnly('UNAUTHENTICATED', 'sign in first', ref);
    if (!user.roles.some((r) => CASE_WRITERS.includes(r))) {
      return senderOnly(
        'FORBIDDEN',
        `writing media needs one of the roles: ${CASE_WRITERS.join(', ')}`,
        ref,
      );
    }
    const matches = [...ctx.live.values()].filter(
      (s) => s.sourceId === sourceId && s.segment === segment,
    );
    // Media is accepted only from the connection that opened the segment: nobody else can
    // add bytes to, or disturb, another window's evidence file.
    const seg = matches.find((s) => s.owner === conn);
    if (!seg) {
      return senderOnly(
        'NOT_FOUND',
        `no segment ${sourceId}#${segment} open on this connection: open it with recording.openSegment`,
        ref,
      );
    }
    seg.lastDataAt = performance.now();
    const s = ctx.session(seg.sessionId);
    if (s.status !== 'recording') {
      return this.refuse(
        seg,
        'CONFLICT',
        `the session is ${s.status}; media is accepted only while it records`,
        offset,
      );
    }
    const r = seg.asm.append(offset, frame.payload);
    if (!r.ok) {
      return this.refuse(
        seg,
        r.reason === 'gap' || r.reason === 'overlap' ? 'CONFLICT' : 'INVALID_INPUT',
        `${seg.sourceId}#${seg.segment}: ${r.message}; nothing of this frame was written`,
        offset,
      );
    }
    for (const { unit, bytes: unitBytes } of r.units) {
      const disk = ctx.measureDisk();
      if (ctx.thresholds.belowFloor(disk.freeBytes, unitBytes.length)) {
        this.guard.safeStop(disk);
        return {
          error: {
            code: 'CONFLICT',
            message: `the disk is almost full (${disk.freeBytes} bytes free): recording stopped safely`,
          },
          fault: null,
        };
      }
      this.guard.warn(disk);
      try {
        seg.file.write(unit, unitBytes);
      } catch (e) {
        this.guard.writeFailed(seg, e);
        return {
          error: {
            code: 'INTERNAL',
            message: `writing ${seg.path} failed; the segment was closed`,
          },
          fault: null,
        };
      }
    }
    seg.refused.clear();
    if (r.units.length > 0) this.segments.scheduleFlush(seg);
    this.status.push(seg.sessionId);
    return null;
  }

  /** A refusal on a known segment goes on the timeline and to everyone, once per kind of error. */
  private refuse(seg: LiveSegment, code: ErrorCode, message: string, offset: number): MediaRefusal {
    const { ctx } = this;
    const fault: RecordingFaultEvent = {
      sessionId: seg.sessionId,
      kind: 'write_refused',
      sourceId: seg.sourceId,
      segment: seg.segment,
      detail: message,
      atUs: sessionTimeUs(seg.startedAt, ctx.deps.now()),
      code,
    };
    if (seg.refused.has(code)) return { error: { code, message }, fault };
    seg.refused.add(code);
    const { db, now } = ctx.deps;
    db.transaction(() => {
      ctx.addEvent({
        session: ctx.session(seg.sessionId),
        at: now(),
        kind: 'write_refused',
        sourceId: seg.sourceId,
        segmentId: seg.id,
        data: { code, message, offset, expectedOffset: seg.asm.expectedOffset },
      });
    })();
    ctx.emitFault(fault);
    return { error: { code, message }, fault: null };
  }
}
