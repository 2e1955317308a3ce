/**
 * What the parts of recording share: the services' deps, the tunables, the segments this core
 * is writing, and the few steps every part takes (find the session, append to its timeline,
 * announce a fault, measure the disk).
 */
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../../../shared/errors';
import type {
  DiskDto,
  RecordingFaultEvent,
  SegmentKind,
  TimelineKind,
} from '../../../shared/api/recording';
import type { ServiceDeps } from '../context';
import { appendSessionEvent, sessionHead, type SessionHead } from '../sessions';
import {
  DiskThresholds,
  type DiskSpaceInfo,
  type FragmentAssembler,
  type SegmentFile,
} from './media';
import type { MediaOptions } from './options';
import { segmentByRef, type SegmentRow } from './store';

/** A segment being written by this core. */
export interface LiveSegment {
  id: number;
  sessionId: number;
  caseId: number;
  startedAt: number | null;
  sourceId: string;
  segment: number;
  kind: SegmentKind;
  path: string;
  file: SegmentFile;
  asm: FragmentAssembler;
  /** The connection that opened it; its loss ends the segment. */
  owner: number;
  /** Error codes already put on the timeline for this segment (once each until a good write). */
  refused: Set<ErrorCode>;
  flushTimer: ReturnType<typeof setTimeout> | null;
  /** Monotonic ms of the last media frame for it (or of its opening), for the stall watchdog. */
  lastDataAt: number;
}

/** A segment as the contract names it. */
export interface SegmentRef {
  sessionId: number;
  sourceId: string;
  segment: number;
}

export class RecordingContext {
  /** The segments this core has open, by id. */
  readonly live = new Map<number, LiveSegment>();
  readonly thresholds: DiskThresholds;
  /** Set once the core closes: timers stop, nothing more is pushed. */
  closed = false;

  constructor(
    readonly deps: ServiceDeps,
    readonly dataDir: string,
    readonly opts: MediaOptions,
    readonly log: (line: string) => void,
  ) {
    this.thresholds = new DiskThresholds(opts.floorBytes, opts.warnBytes);
  }

  session(id: number): SessionHead {
    const head = sessionHead(this.deps.db, id);
    if (!head) throw new AppError('NOT_FOUND', `no session ${id}`);
    return head;
  }

  segmentRow(ref: SegmentRef): SegmentRow {
    const row = segmentByRef(this.deps.db, ref.sessionId, ref.sourceId, ref.segment);
    if (!row) {
      throw new AppError(
        'NOT_FOUND',
        `no segment ${ref.sourceId}#${ref.segment} in session ${ref.sessionId}`,
      );
    }
    return row;
  }

  /** The open segments of a session. */
  liveOf(sessionId: number): LiveSegment[] {
    return [...this.live.values()].filter((s) => s.sessionId === sessionId);
  }

  measureDisk(): DiskSpaceInfo {
    return this.opts.diskSpace(this.dataDir);
  }

  disk(): DiskDto {
    const d = this.measureDisk();
    return { path: this.dataDir, ...d, floorBytes: this.opts.floorBytes };
  }

  /** The absolute path of a file named relative to the data directory. */
  absolute(path: string): string {
    return join(this.dataDir, ...path.split('/'));
  }

  /** Appends to the session timeline; call inside the transaction of the change it records. */
  addEvent(e: {
    session: SessionHead;
    at: number;
    kind: TimelineKind;
    sourceId?: string | null;
    segmentId?: number | null;
    userId?: number | null;
    data: unknown;
  }): number {
    const { session, ...event } = e;
    return appendSessionEvent(this.deps.db, {
      ...event,
      sessionId: session.id,
      startedAt: session.startedAt,
    });
  }

  emitFault(f: RecordingFaultEvent): void {
    this.deps.emit('recording.fault', f);
  }

  /** Runs a step whose failure must not stop the ones after it; the failure is logged. */
  safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`recording: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}
