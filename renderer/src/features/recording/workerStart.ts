/**
 * What a recording worker is started with: fresh clones of its device's tracks, read by
 * processors in this page, and the encoding it is to do. A camera's worker reads its own
 * camera; the program's worker its main and inset cameras and its microphone.
 */
import { pumpAudio } from './capture';
import type { ToWorker } from './protocol';
import type { RecordingPlan } from './sources';
import { isRemoteSource } from '@shared/api/live';

export const H264_HIGH = 'avc1.640028';
const KEY_FRAME_INTERVAL_US = 1_000_000;

/** A source's live stream by id (null when it has none). */
export type StreamOf = (sourceId: string) => MediaStream | null;

/** The clones a worker reads and the processors reading them (the caller keeps both alive). */
export interface Capture {
  clones: MediaStreamTrack[];
  processors: MediaStreamTrackProcessor<VideoFrame>[];
}

function cloneOf(
  streamOf: StreamOf,
  id: string | undefined,
  kind: 'video' | 'audio',
  clones: MediaStreamTrack[],
): MediaStreamTrack | null {
  if (!id) return null;
  const s = streamOf(id);
  const t = kind === 'video' ? s?.getVideoTracks()[0] : s?.getAudioTracks()[0];
  if (!t || t.readyState !== 'live') return null;
  const c = t.clone();
  clones.push(c);
  return c;
}

/**
 * Fresh frame streams of a picture source: a camera's own, or the program's main picture
 * and inset. Null when the (main) camera is not live.
 */
export function pictureStreams(
  plan: RecordingPlan,
  streamOf: StreamOf,
  r: { kind: 'camera' | 'microphone' | 'program'; sourceId: string },
):
  | (Capture & {
      frames: ReadableStream<VideoFrame>;
      inset: ReadableStream<VideoFrame> | null;
    })
  | null {
  const clones: MediaStreamTrack[] = [];
  const mainId = r.kind === 'program' ? plan.program!.mainSourceId : r.sourceId;
  const main = cloneOf(streamOf, mainId, 'video', clones);
  if (!main) return null;
  const inset =
    r.kind === 'program' ? cloneOf(streamOf, plan.program!.insetSourceId, 'video', clones) : null;
  const processors = [main, ...(inset ? [inset] : [])].map(
    (track) => new MediaStreamTrackProcessor({ track }),
  );
  return {
    frames: processors[0]!.readable,
    inset: processors[1]?.readable ?? null,
    clones,
    processors,
  };
}

/** The start message of a source's worker, or null when its device is not live. */
export function startMessage(
  plan: RecordingPlan,
  streamOf: StreamOf,
  r: {
    kind: 'camera' | 'microphone' | 'program';
    sourceId: string;
    /** The hardware encoder failed this source before: software from now on. */
    softwareOnly?: boolean;
  },
  origins: {
    videoOriginUs: number;
    audioOriginUs: number;
    /** Session time 0 on this source's own clock, where it has one (a remote participant's). */
    sourceOriginUs?: number | undefined;
  },
): { msg: ToWorker; transfer: Transferable[]; capture: Capture } | null {
  if (r.kind === 'camera') {
    const c = plan.cameras.find((x) => x.sourceId === r.sourceId)!;
    const picture = pictureStreams(plan, streamOf, r);
    if (!picture) return null;
    return {
      msg: {
        type: 'start-video',
        sourceId: r.sourceId,
        frames: picture.frames,
        width: c.width,
        height: c.height,
        frameRate: c.frameRate,
        bitrate: c.bitrate,
        codec: H264_HIGH,
        mapping: { originUs: origins.sourceOriginUs ?? origins.videoOriginUs },
        keyFrameIntervalUs: KEY_FRAME_INTERVAL_US,
        encoder: r.softwareOnly ? 'software' : 'auto',
        sessionZeroEpochMs: performance.timeOrigin + origins.audioOriginUs / 1000,
        // A remote participant's picture is stamped by the sender's clock.
        ...(isRemoteSource(r.sourceId) ? { senderClock: true } : {}),
      },
      transfer: [picture.frames],
      capture: picture,
    };
  }
  if (r.kind === 'microphone') {
    const clones: MediaStreamTrack[] = [];
    const t = cloneOf(streamOf, r.sourceId, 'audio', clones);
    if (!t) return null;
    // The processor is created here, in the page: AudioData then carries this page's
    // performance.now() clock (created in a worker it would carry the worker's).
    const samples = pumpAudio(t);
    return {
      msg: {
        type: 'start-audio',
        sourceId: r.sourceId,
        samples,
        bitrate: 64_000,
        mapping: { originUs: origins.sourceOriginUs ?? origins.audioOriginUs },
      },
      transfer: [samples],
      capture: { clones, processors: [] },
    };
  }
  const p = plan.program!;
  const picture = pictureStreams(plan, streamOf, r);
  if (!picture) return null;
  const audio = cloneOf(streamOf, p.audioSourceId, 'audio', picture.clones);
  const audioStream = audio ? pumpAudio(audio) : null;
  return {
    msg: {
      type: 'start-program',
      sourceId: r.sourceId,
      main: picture.frames,
      inset: picture.inset,
      audio: audioStream,
      width: p.width,
      height: p.height,
      frameRate: 30,
      bitrate: p.bitrate,
      codec: H264_HIGH,
      videoMapping: { originUs: origins.videoOriginUs },
      audioMapping: { originUs: origins.audioOriginUs },
      keyFrameIntervalUs: KEY_FRAME_INTERVAL_US,
      caption: p.caption,
      encoder: r.softwareOnly ? 'software' : 'auto',
      sessionZeroEpochMs: performance.timeOrigin + origins.audioOriginUs / 1000,
    },
    transfer: [
      picture.frames,
      ...(picture.inset ? [picture.inset] : []),
      ...(audioStream ? [audioStream] : []),
    ],
    capture: picture,
  };
}
