/**
 * Messages between the recording engine (page) and its encoder workers. One worker per
 * source: it encodes with WebCodecs and muxes fragmented MP4 with mediabunny, posting the
 * file's bytes back in order; the page forwards them to the core as media frames.
 *
 * Time: every timestamp a worker sees is converted to session time (µs since session time 0)
 * with the mapping the page gives it; media files carry session time, so the same instant
 * has the same timestamp in every file (ARCHITECTURE §2).
 */

export interface ClockMapping {
  /**
   * Session time of a capture timestamp: `t - originUs`. For video, capture timestamps are
   * on the system monotonic clock; for audio, on the page's performance.now() base. The page
   * computes one origin per clock so both land on the same session clock.
   */
  originUs: number;
}

export interface VideoStartMessage {
  type: 'start-video';
  sourceId: string;
  frames: ReadableStream<VideoFrame>;
  width: number;
  height: number;
  frameRate: number;
  bitrate: number;
  codec: string;
  mapping: ClockMapping;
  /** Force a key frame at least this often (µs), so every fragment starts with one. */
  keyFrameIntervalUs: number;
  /** `auto`: the machine's hardware encoder where it has one; `software` after it failed. */
  encoder: EncoderWanted;
  /** Session time 0 as `performance.timeOrigin + performance.now()` (ms): how late a frame is. */
  sessionZeroEpochMs: number;
  /** A remote participant's picture: frames are stamped by the sender's clock (senderClock.ts). */
  senderClock?: boolean;
}

export type EncoderWanted = 'auto' | 'software';

export interface AudioStartMessage {
  type: 'start-audio';
  sourceId: string;
  samples: MessagePort;
  bitrate: number;
  mapping: ClockMapping;
}

/** The program file: picture-in-picture with the time, case number and place burned in. */
export interface ProgramStartMessage {
  type: 'start-program';
  sourceId: string;
  /** Main picture (e.g. the interviewee close-up); its frames pace the program. */
  main: ReadableStream<VideoFrame>;
  /** Inset (e.g. the room), drawn bottom right from its latest frame. */
  inset: ReadableStream<VideoFrame> | null;
  /** Sound of the program (a clone of the main microphone). */
  audio: MessagePort | null;
  width: number;
  height: number;
  frameRate: number;
  bitrate: number;
  codec: string;
  videoMapping: ClockMapping;
  audioMapping: ClockMapping;
  keyFrameIntervalUs: number;
  caption: ProgramCaption;
  encoder: EncoderWanted;
  sessionZeroEpochMs: number;
}

export interface ProgramCaption {
  caseNo: string;
  place: string;
  /** UTC ms of session time 0, to print wall-clock time to the second. */
  startedAtUtc: number;
  timeZone: string;
}

export interface StopMessage {
  type: 'stop';
  /** Session time of the stop: keep encoding what was captured before it. */
  atSessionUs?: number;
}

/**
 * The file change: the worker opens its next file now (encoder configured and warm) and,
 * reading on, sends every frame and sample before `atSessionUs` to the current file and
 * every one from it on to the next; a sound buffer across the instant is cut at the sample
 * there. Every source gets the same instant, so all files change together.
 */
export interface RotateMessage {
  type: 'rotate';
  atSessionUs: number;
  /** The old file ends this long after the message even if a track never reached the instant. */
  deadlineMs: number;
}

/**
 * A camera stopped delivering: read on from these streams, opened afresh from the device,
 * into the same file. A camera worker takes `frames`; the program worker `frames` for its
 * main picture and `inset` for its inset.
 */
export interface ReattachMessage {
  type: 'reattach';
  frames: ReadableStream<VideoFrame>;
  inset: ReadableStream<VideoFrame> | null;
}

/**
 * A step of the capture ladder: encode at most `fps` frames a second from now on (null: every
 * frame the camera gives), and from the next file on at `scale` of the width and height. The
 * frames left out are counted as stepped, not lost.
 */
export interface RateMessage {
  type: 'rate';
  fps: number | null;
  scale: number;
}

/**
 * The live room: while `on`, the worker also posts each encoded frame as it leaves the
 * encoder (`live` below), so the desk forwards what it records and encodes nothing twice.
 */
export interface LiveMessage {
  type: 'live';
  on: boolean;
}

export type ToWorker =
  | LiveMessage
  | RateMessage
  | VideoStartMessage
  | AudioStartMessage
  | ProgramStartMessage
  | StopMessage
  | RotateMessage
  | ReattachMessage;

export interface WorkerStats {
  framesIn: number;
  framesEncoded: number;
  framesDropped: number;
  bytesOut: number;
  /** Session time (µs) of the first frame or sample this worker encoded. */
  firstSessionTimeUs: number | null;
  /** Capture-clock time (µs) of that first frame or sample. */
  firstCaptureTimeUs: number | null;
  lastSessionTimeUs: number | null;
  encodeQueue: number;
  /** Frames from session time 0 on handed to a file's encoder (the rest were read before it). */
  framesKept: number;
  /** Frames the encoder queue refused (it was too far behind); part of `framesDropped`. */
  framesQueueDropped: number;
  /**
   * The latest holes in the capture time stamps the reader saw (more than 1.5 frame
   * intervals), with how long the reader waited for that frame: a hole the device made
   * and one a blocked reader made look different (a blocked reader waits long, then reads
   * the frames queued meanwhile at once).
   */
  captureGaps: { sessionUs: number; gapUs: number; waitMs: number }[];
  /** Each file change: its instant (session time) and how long finishing the old file took. */
  fileChanges: { file: number; atUs: number; closeMs: number }[];
  /** Since the last report: the deepest the encoder's queue was, and the slowest frame (ms). */
  queueMax: number;
  latencyMaxMs: number;
  /** Since the last report: the longest from a frame's capture to its encoded chunk (ms). */
  delayMaxMs: number;
  /** Frames left out by a step of the capture ladder (chosen, recorded; not lost). */
  framesStepped: number;
  /** The rate the ladder holds this source at (null: full rate). */
  steppedFps: number | null;
  /** The picture's scale the ladder asked for (1: full size). */
  scale: number;
  /**
   * The size of the pictures the source delivers (the latest frame read), before the encoder
   * scales them to the file's size: a camera held at a smaller format shows here.
   */
  delivered: { width: number; height: number } | null;
}

/** Notes the size of a frame read from the source in `stats.delivered`. */
export function noteDelivered(stats: WorkerStats, frame: VideoFrame): void {
  const w = frame.visibleRect?.width ?? frame.displayWidth;
  const h = frame.visibleRect?.height ?? frame.displayHeight;
  if (stats.delivered?.width !== w || stats.delivered.height !== h)
    stats.delivered = { width: w, height: h };
}

/**
 * What a worker posts. `file` numbers the worker's files from 0 (one worker writes one file
 * after another: the file change hands over inside the worker).
 */
export type FromWorker =
  /** The first frame or sample of a file: its segment is opened in the core with these times. */
  | { type: 'first'; file: number; captureTimeUs: number; sessionTimeUs: number }
  | {
      type: 'config';
      file: number;
      codec: string;
      width?: number;
      height?: number;
      sampleRate?: number;
      channels?: number;
      /** Which encoder a picture file is made by. */
      encoder?: 'hardware' | 'software';
    }
  | { type: 'data'; file: number; bytes: Uint8Array; position: number }
  /**
   * One encoded frame for the live room (session time µs; a video key frame brings its
   * decoder configuration, the avcC record in base64).
   */
  | {
      type: 'live';
      kind: 'video' | 'audio';
      ts: number;
      key: boolean;
      avcc?: string;
      data: ArrayBuffer;
    }
  /** A file is finalised: every byte of it has been posted. */
  | { type: 'file-ended'; file: number }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'error'; message: string }
  | { type: 'ended'; stats: WorkerStats; reason: 'stopped' | 'source-ended' };

/** The buffers a page posts through a port, as a stream (null ends it). */
export function portStream(port: MessagePort): ReadableStream<AudioData> {
  return new ReadableStream<AudioData>({
    start(c) {
      port.onmessage = (e: MessageEvent<AudioData | null>) => {
        if (e.data === null) c.close();
        else c.enqueue(e.data);
      };
    },
  });
}
