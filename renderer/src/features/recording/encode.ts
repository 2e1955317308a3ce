/**
 * The encoding pieces every recording worker shares: a fragmented-MP4 output that posts its
 * bytes in file order, a video track (WebCodecs H.264) and an audio track (WebCodecs Opus),
 * both fed with frames already on the session clock.
 */
import {
  EncodedAudioPacketSource,
  EncodedPacket,
  EncodedVideoPacketSource,
  Mp4OutputFormat,
  Output,
  StreamTarget,
  type StreamTargetChunk,
} from 'mediabunny';
import type { FromWorker, ToWorker, WorkerStats } from './protocol';

export type Post = (m: FromWorker, transfer?: Transferable[]) => void;

/**
 * How a recording worker stops: at a session time (or at once), and within 3 s at the
 * latest; half a second after that its frame reader is cancelled, should no frame come.
 */
export class WorkerStop {
  stopping = false;
  /** Cancels the frame reader of the running track (set when it starts). */
  cancelRead: (() => void) | null = null;
  private atUs = -Infinity;
  private deadline = Infinity;

  /** A stop was asked and a frame at `sessionUs` is at or after it (or time ran out). */
  past(sessionUs: number): boolean {
    return this.stopping && (sessionUs >= this.atUs || performance.now() > this.deadline);
  }

  request(atSessionUs: number | undefined): void {
    this.stopping = true;
    this.atUs = atSessionUs ?? -Infinity;
    this.deadline = performance.now() + 3000;
    setTimeout(() => this.cancelRead?.(), 3500);
  }
}

/**
 * The message loop every recording worker has: its stats posted each second, `stop` handed
 * to `stop`, the start message it takes run, and how that ended (or failed) posted back.
 */
export function serveWorker<M extends ToWorker>(
  scope: DedicatedWorkerGlobalScope,
  post: Post,
  stats: WorkerStats,
  stop: WorkerStop,
  takes: (m: ToWorker) => m is M,
  run: (m: M) => Promise<'stopped' | 'source-ended'>,
): void {
  const statsTimer = setInterval(() => post({ type: 'stats', stats: { ...stats } }), 1000);
  scope.onmessage = (e: MessageEvent<ToWorker>) => {
    const m = e.data;
    if (m.type === 'stop') {
      stop.request(m.atSessionUs);
      return;
    }
    if (!takes(m)) return;
    run(m)
      .then((reason) => post({ type: 'ended', stats: { ...stats }, reason }))
      .catch((err: unknown) =>
        post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => clearInterval(statsTimer));
  };
}

export function newStats(): WorkerStats {
  return {
    framesIn: 0,
    framesEncoded: 0,
    framesDropped: 0,
    bytesOut: 0,
    firstSessionTimeUs: null,
    firstCaptureTimeUs: null,
    lastSessionTimeUs: null,
    encodeQueue: 0,
  };
}

/** A fragmented MP4 (~1 s fragments) whose bytes are posted to the page as they are made. */
export function fragmentedOutput(post: Post, stats: WorkerStats): Output {
  const writable = new WritableStream<StreamTargetChunk>({
    write(chunk) {
      const bytes = chunk.data.slice();
      stats.bytesOut += bytes.byteLength;
      post({ type: 'data', bytes, position: chunk.position }, [bytes.buffer]);
    },
  });
  return new Output({
    format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: 1 }),
    target: new StreamTarget(writable),
  });
}

/**
 * Counts the frames a camera never delivered: a gap between capture time stamps of more
 * than 1.5 frame intervals means frames were lost before the encoder saw them (under load,
 * in the capture pipeline), which the encoder's own queue cannot show.
 */
export function lostFrameCounter(stats: WorkerStats, frameRate: number) {
  const intervalUs = 1e6 / frameRate;
  let last: number | null = null;
  return (captureUs: number) => {
    if (last !== null && captureUs - last > 1.5 * intervalUs) {
      stats.framesDropped += Math.round((captureUs - last) / intervalUs) - 1;
    }
    last = captureUs;
  };
}

/** Marks the first frame or sample of the file, once. */
export function noteFirst(post: Post, stats: WorkerStats, captureUs: number, sessionUs: number) {
  stats.lastSessionTimeUs = sessionUs;
  if (stats.firstCaptureTimeUs !== null) return;
  stats.firstCaptureTimeUs = captureUs;
  stats.firstSessionTimeUs = sessionUs;
  post({ type: 'first', captureTimeUs: captureUs, sessionTimeUs: sessionUs });
}

export interface VideoTrack {
  /** Encodes a frame already stamped in session µs; closes it. False if it was dropped. */
  encode(frame: VideoFrame): boolean;
  flush(): Promise<void>;
}

export function videoTrack(
  output: Output,
  post: Post,
  stats: WorkerStats,
  config: { codec: string; width: number; height: number; bitrate: number; frameRate: number },
  keyFrameIntervalUs: number,
): VideoTrack {
  const source = new EncodedVideoPacketSource('avc');
  // No `frameRate` on the track: mediabunny would snap every timestamp to it, and true
  // capture timing (variable frame rate) is the evidence.
  output.addVideoTrack(source);
  let pending: Promise<void> = Promise.resolve();
  let firstMeta = true;
  let lastKeyUs = -Infinity;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      stats.framesEncoded++;
      const packet = EncodedPacket.fromEncodedChunk(chunk);
      const m = firstMeta ? meta : undefined;
      firstMeta = false;
      pending = pending.then(() => source.add(packet, m));
    },
    error: (e) => post({ type: 'error', message: `video encoder: ${e.message}` }),
  });
  encoder.configure({
    codec: config.codec,
    width: config.width,
    height: config.height,
    bitrate: config.bitrate,
    framerate: config.frameRate,
    latencyMode: 'realtime',
    avc: { format: 'avc' },
  });
  post({ type: 'config', codec: config.codec, width: config.width, height: config.height });
  return {
    encode(frame) {
      // Too far behind: drop rather than let latency grow without bound (counted, reported).
      if (encoder.encodeQueueSize > 30) {
        stats.framesDropped++;
        frame.close();
        return false;
      }
      const keyFrame = frame.timestamp - lastKeyUs >= keyFrameIntervalUs;
      if (keyFrame) lastKeyUs = frame.timestamp;
      encoder.encode(frame, { keyFrame });
      frame.close();
      stats.encodeQueue = encoder.encodeQueueSize;
      return true;
    },
    async flush() {
      await encoder.flush();
      encoder.close();
      await pending;
    },
  };
}

/**
 * Opus always decodes at 48 kHz (RFC 7845), and the ISOBMFF mapping wants 48000 in the
 * sample entry. Chromium's demuxer also requires the OpusHead's input rate to equal it, and
 * refuses the file otherwise: a 44.1 kHz microphone made files that ffmpeg played and
 * Chromium would not. The input rate is informational only (the device's real rate is kept
 * with the segment in the core), so both are set to 48000.
 */
function opusAt48k(meta: EncodedAudioChunkMetadata): EncodedAudioChunkMetadata {
  const config = meta.decoderConfig;
  if (!config) return meta;
  let description = config.description;
  if (description) {
    const bytes = ArrayBuffer.isView(description)
      ? new Uint8Array(
          description.buffer.slice(
            description.byteOffset,
            description.byteOffset + description.byteLength,
          ),
        )
      : new Uint8Array(description.slice(0));
    // OpusHead: magic(8) version(1) channels(1) pre-skip(2) input sample rate(4, little-endian).
    if (bytes.length >= 16) new DataView(bytes.buffer).setUint32(12, 48_000, true);
    description = bytes;
  }
  return {
    ...meta,
    decoderConfig: { ...config, sampleRate: 48_000, ...(description ? { description } : {}) },
  };
}

export interface AudioTrack {
  /** Encodes a buffer, re-stamped to `sessionUs`; closes it. */
  encode(data: AudioData, sessionUs: number): void;
  flush(): Promise<void>;
}

export function audioTrack(
  output: Output,
  post: Post,
  stats: WorkerStats,
  bitrate: number,
): AudioTrack {
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  let pending: Promise<void> = Promise.resolve();
  let firstMeta = true;
  let encoder: AudioEncoder | null = null;
  // The encoder stamps its output by counting samples from the first buffer and ignores
  // later input time stamps: keep the samples fed equal to capture time (fill holes with
  // silence, trim overlaps), or every lost buffer would move all later sound earlier.
  let fedUntilUs: number | null = null;
  const feed = (d: AudioData) => {
    encoder!.encode(d);
    d.close();
  };
  return {
    encode(data, sessionUs) {
      if (!encoder) {
        // Configured from the first buffer: the device decides rate and channel count.
        encoder = new AudioEncoder({
          output: (chunk, meta) => {
            const packet = EncodedPacket.fromEncodedChunk(chunk);
            const m = firstMeta && meta ? opusAt48k(meta) : undefined;
            firstMeta = false;
            pending = pending.then(() => source.add(packet, m));
          },
          error: (e) => post({ type: 'error', message: `audio encoder: ${e.message}` }),
        });
        encoder.configure({
          codec: 'opus',
          sampleRate: data.sampleRate,
          numberOfChannels: data.numberOfChannels,
          bitrate,
        });
        post({
          type: 'config',
          codec: 'opus',
          sampleRate: data.sampleRate,
          channels: data.numberOfChannels,
        });
      }
      const rate = data.sampleRate;
      const channels = data.numberOfChannels;
      let frames = data.numberOfFrames;
      let skip = 0;
      // Half a buffer: a single lost 10 ms buffer is filled; capture jitter is not.
      const TOLERANCE_US = (data.numberOfFrames / rate) * 5e5;
      if (fedUntilUs !== null) {
        const gapUs = sessionUs - fedUntilUs;
        const gapFrames = Math.round((gapUs * rate) / 1e6);
        if (gapUs > TOLERANCE_US) {
          feed(
            new AudioData({
              format: 'f32-planar',
              sampleRate: rate,
              numberOfFrames: gapFrames,
              numberOfChannels: channels,
              timestamp: fedUntilUs,
              data: new Float32Array(gapFrames * channels),
            }),
          );
          fedUntilUs += (gapFrames * 1e6) / rate;
        } else if (gapUs < -TOLERANCE_US) {
          skip = Math.min(frames, -gapFrames);
          frames -= skip;
        }
      }
      if (frames === 0) {
        data.close();
        return;
      }
      const copy = new Float32Array(frames * channels);
      for (let c = 0; c < channels; c++) {
        data.copyTo(copy.subarray(c * frames, (c + 1) * frames), {
          planeIndex: c,
          format: 'f32-planar',
          frameOffset: skip,
          frameCount: frames,
        });
      }
      const at = fedUntilUs ?? sessionUs;
      data.close();
      feed(
        new AudioData({
          format: 'f32-planar',
          sampleRate: rate,
          numberOfFrames: frames,
          numberOfChannels: channels,
          timestamp: at,
          data: copy,
        }),
      );
      fedUntilUs = (fedUntilUs ?? sessionUs) + (frames * 1e6) / rate;
    },
    async flush() {
      if (encoder) {
        await encoder.flush();
        encoder.close();
      }
      await pending;
    },
  };
}
