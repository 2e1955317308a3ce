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
import type { EncoderWanted, FromWorker, ReattachMessage, ToWorker, WorkerStats } from './protocol';

export type Post = (m: FromWorker, transfer?: Transferable[]) => void;

/** Whether this worker forwards its frames to the live room (one worker, one source). */
const live = { on: false };

function base64Of(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function bytesOf(d: AllowSharedBufferSource): Uint8Array {
  return ArrayBuffer.isView(d)
    ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
    : new Uint8Array(d as ArrayBuffer);
}

/** An encoded frame posted for the live room, when it is on (frames before session 0 are not). */
function postLive(
  post: Post,
  kind: 'video' | 'audio',
  chunk: EncodedVideoChunk | EncodedAudioChunk,
  avcc?: string,
): void {
  if (!live.on || chunk.timestamp < 0) return;
  const data = new ArrayBuffer(chunk.byteLength);
  chunk.copyTo(data);
  const key = chunk.type === 'key';
  post(
    {
      type: 'live',
      kind,
      ts: Math.round(chunk.timestamp),
      key,
      ...(kind === 'video' && key && avcc ? { avcc } : {}),
      data,
    },
    [data],
  );
}

/**
 * How a recording worker stops: at a session time (or at once), and within 3 s at the
 * latest; half a second after that its frame reader is cancelled, should no frame come.
 */
export class WorkerStop {
  stopping = false;
  /** Cancels the frame reader of the running track (set when it starts). */
  cancelRead: (() => void) | null = null;
  /** Starts the file change of the running worker (set when it starts). */
  rotate: ((atSessionUs: number, deadlineMs: number) => void) | null = null;
  /** Reads on from streams opened afresh after a stall (set when a picture track starts). */
  reattach: ((m: ReattachMessage) => void) | null = null;
  /** The capture ladder's rate and scale for a picture worker (set when a picture track starts). */
  rate: ((fps: number | null, scale: number) => void) | null = null;
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
  const statsTimer = setInterval(() => {
    post({ type: 'stats', stats: { ...stats } });
    // The pressure figures are per report: the next second starts afresh.
    stats.queueMax = stats.encodeQueue;
    stats.latencyMaxMs = 0;
    stats.delayMaxMs = 0;
  }, 1000);
  scope.onmessage = (e: MessageEvent<ToWorker>) => {
    const m = e.data;
    if (m.type === 'stop') {
      stop.request(m.atSessionUs);
      return;
    }
    if (m.type === 'rotate') {
      stop.rotate?.(m.atSessionUs, m.deadlineMs);
      return;
    }
    if (m.type === 'rate') {
      stop.rate?.(m.fps, m.scale);
      return;
    }
    if (m.type === 'live') {
      live.on = m.on;
      return;
    }
    if (m.type === 'reattach') {
      if (stop.reattach) stop.reattach(m);
      else {
        void m.frames.cancel().catch(() => {});
        void m.inset?.cancel().catch(() => {});
      }
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
    framesKept: 0,
    framesQueueDropped: 0,
    captureGaps: [],
    fileChanges: [],
    queueMax: 0,
    latencyMaxMs: 0,
    delayMaxMs: 0,
    framesStepped: 0,
    steppedFps: null,
    scale: 1,
    delivered: null,
  };
}

/**
 * One file of a worker: its number (from 0), where its messages go, and a promise that
 * settles once its output has started (packets wait for it).
 */
export interface FileOut {
  file: number;
  post: Post;
  stats: WorkerStats;
  ready: Promise<void>;
}

/** A fragmented MP4 (~1 s fragments) whose bytes are posted to the page as they are made. */
export function fragmentedOutput(out: Omit<FileOut, 'ready'>): Output {
  const { post, stats, file } = out;
  const writable = new WritableStream<StreamTargetChunk>({
    write(chunk) {
      const bytes = chunk.data.slice();
      stats.bytesOut += bytes.byteLength;
      post({ type: 'data', file, bytes, position: chunk.position }, [bytes.buffer]);
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
  let lastRead = 0;
  return (captureUs: number, sessionUs: number) => {
    const now = performance.now();
    if (last !== null && captureUs - last > 1.5 * intervalUs) {
      stats.framesDropped += Math.round((captureUs - last) / intervalUs) - 1;
      stats.captureGaps.push({ sessionUs, gapUs: captureUs - last, waitMs: now - lastRead });
      if (stats.captureGaps.length > MAX_GAPS_KEPT) stats.captureGaps.shift();
    }
    last = captureUs;
    lastRead = now;
  };
}

/** How many capture holes the counters keep (the latest). */
const MAX_GAPS_KEPT = 256;

export interface VideoTrack {
  /** Encodes a frame already stamped in session µs; closes it. False if it was dropped. */
  encode(frame: VideoFrame): boolean;
  flush(): Promise<void>;
}

/**
 * Which encoder a picture source uses: the machine's hardware encoder where the platform
 * offers one for this configuration (less work for the processor), software otherwise, or
 * when asked (the hardware one failed before).
 */
export async function chooseEncoder(
  config: { codec: string; width: number; height: number; bitrate: number; frameRate: number },
  wanted: EncoderWanted,
): Promise<'hardware' | 'software'> {
  if (wanted === 'software') return 'software';
  try {
    const r = await VideoEncoder.isConfigSupported({
      codec: config.codec,
      width: config.width,
      height: config.height,
      bitrate: config.bitrate,
      framerate: config.frameRate,
      hardwareAcceleration: 'prefer-hardware',
      latencyMode: 'realtime',
    });
    // Chromium answers `prefer-hardware` as a requirement: supported only with a hardware encoder.
    return r.supported ? 'hardware' : 'software';
  } catch {
    return 'software';
  }
}

/**
 * An H.264 track. The encoder is configured here, before the first frame, so a file made
 * ahead of a file change is warm when its first frame comes; that frame is a key frame.
 */
export function videoTrack(
  output: Output,
  out: FileOut,
  config: {
    codec: string;
    width: number;
    height: number;
    bitrate: number;
    frameRate: number;
    encoder: 'hardware' | 'software';
    /** Session time 0 on this context's epoch clock (ms): capture-to-chunk delay is read from it. */
    sessionZeroEpochMs?: number;
  },
  keyFrameIntervalUs: number,
): VideoTrack {
  const { post, stats, file } = out;
  const source = new EncodedVideoPacketSource('avc');
  // No `frameRate` on the track: mediabunny would snap every timestamp to it, and true
  // capture timing (variable frame rate) is the evidence.
  output.addVideoTrack(source);
  let pending: Promise<void> = out.ready;
  let firstMeta = true;
  let lastKeyUs = -Infinity;
  // When each frame went in, by its time stamp: how long it takes to come out is the earliest
  // sign of a machine that cannot keep up (the capture ladder reads it).
  const sentAt = new Map<number, number>();
  let avcc: string | undefined;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      stats.framesEncoded++;
      const description = meta?.decoderConfig?.description;
      if (description) avcc = base64Of(bytesOf(description));
      postLive(post, 'video', chunk, avcc);
      const now = performance.now();
      const t = sentAt.get(chunk.timestamp);
      if (t !== undefined) {
        sentAt.delete(chunk.timestamp);
        stats.latencyMaxMs = Math.max(stats.latencyMaxMs, now - t);
      }
      // Chunks carry session time: from the frame's capture to here, through every queue.
      if (config.sessionZeroEpochMs !== undefined)
        stats.delayMaxMs = Math.max(
          stats.delayMaxMs,
          performance.timeOrigin + now - config.sessionZeroEpochMs - chunk.timestamp / 1000,
        );
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
    hardwareAcceleration: config.encoder === 'hardware' ? 'prefer-hardware' : 'prefer-software',
  });
  post({
    type: 'config',
    file,
    codec: config.codec,
    width: config.width,
    height: config.height,
    encoder: config.encoder,
  });
  return {
    encode(frame) {
      // Too far behind: drop rather than let latency grow without bound (counted, reported).
      if (encoder.encodeQueueSize > 30) {
        stats.framesDropped++;
        stats.framesQueueDropped++;
        frame.close();
        return false;
      }
      const keyFrame = frame.timestamp - lastKeyUs >= keyFrameIntervalUs;
      if (keyFrame) lastKeyUs = frame.timestamp;
      if (sentAt.size > 120) sentAt.clear(); // frames the encoder never returned
      sentAt.set(frame.timestamp, performance.now());
      try {
        encoder.encode(frame, { keyFrame });
      } finally {
        frame.close(); // also when the encoder has already closed and refuses it
      }
      stats.encodeQueue = encoder.encodeQueueSize;
      stats.queueMax = Math.max(stats.queueMax, encoder.encodeQueueSize);
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

/** The OpusHead's pre-skip (16-bit little-endian at byte 10, in 48 kHz samples), in µs. */
function opusPreSkipUs(meta: EncodedAudioChunkMetadata): number {
  const d = meta.decoderConfig?.description;
  if (!d) return 0;
  const bytes = ArrayBuffer.isView(d)
    ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
    : new Uint8Array(d);
  return bytes.length >= 12 ? ((bytes[10]! | (bytes[11]! << 8)) * 1e6) / 48_000 : 0;
}

export interface AudioTrack {
  /**
   * Encodes a buffer captured at `sessionUs`; closes it. Returns the session time its first
   * sample has in the file (the track's own sample count, see `fedUntilUs`), or null when
   * nothing of it was kept.
   */
  encode(data: AudioData, sessionUs: number): number | null;
  /** Where the samples fed so far end on the session clock (null before the first). */
  fedUntil(): number | null;
  /** The device's rate and channels, once known. */
  format(): { sampleRate: number; channels: number } | null;
  /**
   * Before the first buffer: this file's samples continue the previous file's, which end at
   * `fedUntilUs`, so the two files meet without a gap or an overlap.
   */
  follow(fedUntilUs: number): void;
  /**
   * Ends the file and its last packet at the last sample fed: the encoder pads its last
   * frame to a whole Opus frame, and that padding must not overlap the next file.
   */
  flush(): Promise<void>;
}

/**
 * An Opus track. With `format` (the previous file's) the encoder is configured at once,
 * warm for the first buffer; without it the first buffer configures it.
 */
export function audioTrack(
  output: Output,
  out: FileOut,
  bitrate: number,
  format?: { sampleRate: number; channels: number } | null,
): AudioTrack {
  const { post, file } = out;
  const source = new EncodedAudioPacketSource('opus');
  output.addAudioTrack(source);
  let pending: Promise<void> = out.ready;
  let firstMeta = true;
  let encoder: AudioEncoder | null = null;
  let known: { sampleRate: number; channels: number } | null = null;
  // The encoder's look-ahead (OpusHead pre-skip): its output runs this much longer than its
  // input, and a decoder drops as much at the start of the file.
  let preSkipUs = 0;
  // The newest packet is held back, and every packet once the file ends (`flushing`), so
  // the last ones can be cut to the last sample fed.
  let held: { packet: EncodedPacket; meta: EncodedAudioChunkMetadata | undefined }[] = [];
  let flushing = false;
  const configure = (sampleRate: number, channels: number) => {
    known = { sampleRate, channels };
    encoder = new AudioEncoder({
      output: (chunk, meta) => {
        postLive(post, 'audio', chunk);
        const packet = EncodedPacket.fromEncodedChunk(chunk);
        const m = firstMeta && meta ? opusAt48k(meta) : undefined;
        if (firstMeta && meta) preSkipUs = opusPreSkipUs(meta);
        firstMeta = false;
        held.push({ packet, meta: m });
        while (!flushing && held.length > 1) {
          const prev = held.shift()!;
          pending = pending.then(() => source.add(prev.packet, prev.meta));
        }
      },
      error: (e) => post({ type: 'error', message: `audio encoder: ${e.message}` }),
    });
    encoder.configure({ codec: 'opus', sampleRate, numberOfChannels: channels, bitrate });
    post({ type: 'config', file, codec: 'opus', sampleRate, channels });
  };
  // The encoder stamps its output by counting samples from the first buffer and ignores
  // later input time stamps: keep the samples fed equal to capture time (fill holes with
  // silence, trim overlaps), or every lost buffer would move all later sound earlier.
  let fedUntilUs: number | null = null;
  if (format) configure(format.sampleRate, format.channels);
  const feed = (d: AudioData) => {
    encoder!.encode(d);
    d.close();
  };
  return {
    fedUntil: () => fedUntilUs,
    format: () => known,
    follow(us) {
      fedUntilUs ??= us;
    },
    encode(data, sessionUs) {
      // Configured from the first buffer: the device decides rate and channel count.
      if (!encoder) configure(data.sampleRate, data.numberOfChannels);
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
        return null;
      }
      const at = fedUntilUs ?? sessionUs;
      const part = audioPart(data, skip, frames, at);
      data.close();
      feed(part);
      fedUntilUs = (fedUntilUs ?? sessionUs) + (frames * 1e6) / rate;
      return at;
    },
    async flush() {
      if (encoder) {
        const enc = encoder as AudioEncoder;
        const fmt = known!;
        // The encoder's output lags its input by the pre-skip, and its flush pads only to a
        // whole frame: when the samples fed end within a pre-skip of a frame's end, the last
        // ones would never come out, and the file's sound would end short (by up to the
        // pre-skip, 6.5 ms) of where the next file's begins. A pre-skip of silence after them
        // carries them out; the last packet is then cut back to the last sample fed (below).
        const pad = Math.ceil((preSkipUs * fmt.sampleRate) / 1e6);
        if (pad > 0 && fedUntilUs !== null && enc.state === 'configured')
          feed(
            new AudioData({
              format: 'f32-planar',
              sampleRate: fmt.sampleRate,
              numberOfFrames: pad,
              numberOfChannels: fmt.channels,
              timestamp: fedUntilUs,
              data: new Float32Array(pad * fmt.channels),
            }),
          );
        flushing = true;
        await enc.flush();
        enc.close();
      }
      if (fedUntilUs !== null) {
        // The packets carry the samples fed plus the pre-skip the decoder drops at the start.
        const endS = (fedUntilUs + preSkipUs) / 1e6;
        for (const { packet, meta } of held) {
          // A packet of nothing but the silence fed to carry the last samples out is dropped.
          if (packet.timestamp >= endS) break;
          const cut =
            packet.timestamp + packet.duration > endS
              ? packet.clone({ duration: endS - packet.timestamp })
              : packet;
          pending = pending.then(() => source.add(cut, meta));
        }
      }
      held = [];
      await pending;
    },
  };
}

/**
 * Cuts a sound buffer before sample `at` (0 < at < its length) into two, each stamped
 * where its first sample was captured; closes the original.
 */
export function splitAudio(data: AudioData, at: number): [AudioData, AudioData] {
  const stamp = (offset: number) => data.timestamp + (offset * 1e6) / data.sampleRate;
  const parts: [AudioData, AudioData] = [
    audioPart(data, 0, at, stamp(0)),
    audioPart(data, at, data.numberOfFrames - at, stamp(at)),
  ];
  data.close();
  return parts;
}

/** `count` samples of a sound buffer from sample `offset`, as a new buffer stamped `timestamp`. */
function audioPart(data: AudioData, offset: number, count: number, timestamp: number): AudioData {
  const channels = data.numberOfChannels;
  const samples = new Float32Array(count * channels);
  for (let c = 0; c < channels; c++) {
    data.copyTo(samples.subarray(c * count, (c + 1) * count), {
      planeIndex: c,
      format: 'f32-planar',
      frameOffset: offset,
      frameCount: count,
    });
  }
  return new AudioData({
    format: 'f32-planar',
    sampleRate: data.sampleRate,
    numberOfFrames: count,
    numberOfChannels: channels,
    timestamp,
    data: samples,
  });
}
