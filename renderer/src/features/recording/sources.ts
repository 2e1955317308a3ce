/**
 * What the recording engine is given and what it reports: the plan of sources to record, the
 * backend that carries their segments to the core, and each source's health.
 */
import type { ClientFaultKind, SegmentKind } from '@shared/api/recording';
import type { SourceRole } from '@shared/domain';
import type { LadderStep } from '@shared/rules/capture-ladder';
import type { ProgramCaption, WorkerStats } from './protocol';

export interface RecordingBackend {
  openSegment(p: {
    sourceId: string;
    kind: SegmentKind;
    codec: string;
    width?: number;
    height?: number;
    frameRate?: number;
    sampleRate?: number;
    channels?: number;
    encoder?: 'hardware' | 'software';
    firstCaptureTimeUs: number;
    sessionTimeUs: number;
  }): Promise<{ segment: number }>;
  closeSegment(p: { sourceId: string; segment: number }): Promise<void>;
  /** Sends one encoded media frame; resolves when the transport has taken it. */
  send(frame: Uint8Array): void;
  fault(p: {
    kind: Exclude<ClientFaultKind, 'disk_low'>;
    sourceId?: string;
    detail: string;
  }): Promise<void>;
  /** A step of the capture ladder, for the timeline and the sealed record. */
  step(p: Omit<LadderStep, 'rung'>): Promise<void>;
}

export interface CameraPlan {
  sourceId: string;
  deviceId: string;
  label: string;
  /** What it shows (the pre-flight's role): the close-up keeps its full rate under load. */
  role: SourceRole;
  /** The ladder's rung it starts at when the pre-flight's trial proposed less than full. */
  startRung?: number;
  width: number;
  height: number;
  frameRate: number;
  bitrate: number;
}

export interface MicrophonePlan {
  sourceId: string;
  deviceId: string;
  label: string;
}

export interface ProgramPlan {
  sourceId: string;
  mainSourceId: string;
  insetSourceId?: string;
  audioSourceId?: string;
  caption: ProgramCaption;
  width: number;
  height: number;
  bitrate: number;
}

export interface RecordingPlan {
  cameras: CameraPlan[];
  microphones: MicrophonePlan[];
  program?: ProgramPlan;
  /** A new file every this many ms, so a damaged file costs little (10–15 min). */
  segmentMs: number;
}

export type SourceState = 'starting' | 'recording' | 'lost' | 'stopped' | 'failed';

export interface SourceHealth {
  sourceId: string;
  /** The kind of segment file the source writes: a camera's, a microphone's or the program's. */
  kind: SegmentKind;
  label: string;
  state: SourceState;
  segment: number | null;
  stats: WorkerStats | null;
  /** Frames per second, taken across the source's files (rates.ts). */
  fps: number;
  /** Bits per second, taken the same way. */
  bitrate: number;
  /** Bytes handed to the transport for the current segment. */
  bytesSent: number;
  error: string | null;
  /** A picture source that has read no frame for a while and is being read afresh. */
  stalled: boolean;
  /** The rate the capture ladder holds it at (null: its full rate). */
  steppedFps: number | null;
  /** The ladder's rung (0: full rate and size) and the picture's scale there. */
  rung: number;
  scale: number;
}

/** What the engine reports of a source; the rates are taken across files by the caller. */
export type EngineHealth = Omit<SourceHealth, 'fps' | 'bitrate'>;
