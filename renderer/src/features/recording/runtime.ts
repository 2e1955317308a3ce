/**
 * A source as the recording engine runs it: its stream, its worker and the file it writes,
 * and how it is doing. A camera's device is opened as the plan says; a remote participant's
 * source comes from the live room instead and has its own clock origin.
 */
import type { SegmentKind } from '@shared/api/recording';
import { AUDIO_CONSTRAINTS } from './capture';
import type { FileConfig } from './segmentFiles';
import type { WorkerStats } from './protocol';
import type { CameraPlan, RecordingPlan, SourceState } from './sources';
import { newProgress, type FrameProgress } from './stallWatch';

export interface Runtime {
  sourceId: string;
  kind: SegmentKind;
  label: string;
  state: SourceState;
  stream: MediaStream | null;
  worker: Worker | null;
  segment: number | null;
  config: FileConfig | null;
  stats: WorkerStats | null;
  bytesSent: number;
  error: string | null;
  ended: Promise<void> | null;
  /** How often the source was restarted after an encoder failure. */
  restarts: number;
  /** Restarts the source if `segment` is the file its current worker writes. */
  restart: ((segment: number) => void) | null;
  /**
   * The track clones the current worker reads, and the processors that read them in this
   * page (held here so they live as long as the worker does; the clones are stopped when it
   * ends or reads afresh).
   */
  clones: MediaStreamTrack[];
  processors: MediaStreamTrackProcessor<VideoFrame>[];
  /** A picture worker's frames read over time, to see a stall. */
  progress: FrameProgress;
  /** The capture ladder's rung for it (0: full); a restarted worker takes it too. */
  rung: number;
  /** When the worker's last report came (performance.now()). */
  statsAt: number;
  /** Its hardware encoder failed: its workers encode in software from now on. */
  softwareOnly: boolean;
  /**
   * Session time 0 on this source's own clock (µs), where it is not the desk's devices' clock:
   * a remote participant's picture and sound are stamped as they arrive here.
   */
  originUs?: number;
}

export function newRuntime(
  plan: RecordingPlan,
  sourceId: string,
  kind: SegmentKind,
  label: string,
): Runtime {
  const start = plan.cameras.find((c) => c.sourceId === sourceId)?.startRung;
  return {
    sourceId,
    kind,
    label,
    state: 'starting',
    stream: null,
    worker: null,
    segment: null,
    config: null,
    stats: null,
    bytesSent: 0,
    error: null,
    ended: null,
    restarts: 0,
    restart: null,
    clones: [],
    processors: [],
    progress: newProgress(performance.now()),
    // Where the pre-flight's trial proposed less than full, the source starts there.
    rung: start ?? 0,
    statsAt: 0,
    softwareOnly: false,
  };
}

/** A camera's or microphone's device, opened as the plan says (the recording's own stream of it). */
export function openDevice(plan: RecordingPlan, sourceId: string): Promise<MediaStream> {
  const cam = plan.cameras.find((c) => c.sourceId === sourceId);
  const mic = plan.microphones.find((m) => m.sourceId === sourceId);
  return navigator.mediaDevices.getUserMedia(
    cam
      ? {
          video: {
            deviceId: { exact: cam.deviceId },
            width: cam.width,
            height: cam.height,
            frameRate: cam.frameRate,
          },
        }
      : { audio: { deviceId: { exact: mic!.deviceId }, ...AUDIO_CONSTRAINTS } },
  );
}

/**
 * A remote participant's source joins the plan (again after a drop): a picture at 720 lines
 * and 30 fps; a sound as it comes.
 */
export function joinPlan(
  plan: RecordingPlan,
  src: { sourceId: string; kind: 'camera' | 'microphone'; label: string },
  size: { offsetUs: number; width?: number; height?: number },
): void {
  const { sourceId, label } = src;
  if (src.kind === 'microphone') {
    plan.microphones = [
      ...plan.microphones.filter((m) => m.sourceId !== sourceId),
      { sourceId, deviceId: '', label },
    ];
    return;
  }
  // WebRTC starts a picture small and raises it as the network allows: the file is made at
  // 720 lines in the picture's shape (the encoder scales what arrives), never at the first size.
  const aspect = size.width && size.height ? size.width / size.height : 16 / 9;
  const width = Math.min(1920, Math.round((720 * aspect) / 2) * 2);
  const camera: CameraPlan = {
    sourceId,
    deviceId: '',
    label,
    role: 'other',
    width,
    height: 720,
    frameRate: 30,
    bitrate: 2_000_000,
  };
  plan.cameras = [...plan.cameras.filter((c) => c.sourceId !== sourceId), camera];
}
