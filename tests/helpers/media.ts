/**
 * Helpers for the media sink's tests: real fragmented MP4 made by ffmpeg (cached per
 * machine), an independent top-level box walker to check the sink against, chunking, the
 * real tools (sha256sum, ffprobe, ffmpeg) to judge the files, and a recording session set up
 * through the contract.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ALL_FORMATS,
  BufferTarget,
  EncodedPacket,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  FilePathSource,
  Input,
  Mp4OutputFormat,
  Output,
} from 'mediabunny';
import type WebSocket from 'ws';
import { createClient, type Channel, type Client } from '../../electron/shared/client';
import { openCore, type Core } from '../../electron/core';
import type { MediaOptions } from '../../electron/core/features/recording';
import type { Host } from '../../electron/host/server';
import type { ServerFrame } from '../../electron/shared/rpc';
import { encodeMediaFrame } from '../../electron/shared/media';
import type { PreflightInput, SegmentKind } from '../../electron/shared/api/recording';
import { caseInput, seed } from './core';
import { openSocket } from './transports';

/** A core on a fresh data directory with media options (a simulated disk, a short fsync interval). */
export function mediaCore(
  media: Partial<MediaOptions> = {},
  start = Date.UTC(2026, 10, 23, 9, 0, 0),
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-media-'));
  let t = start;
  const log: string[] = [];
  const core = openCore({ dataDir, now: () => t, log: (l) => log.push(l), media });
  return {
    core,
    dataDir,
    log,
    advance(ms: number) {
      t += ms;
    },
    async dispose() {
      core.close();
      await core.settled();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small seeded PRNG (mulberry32), so a failing random run can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fixtures are made once per checkout, under node_modules/.cache (ignored by git, like vite's
 * cache) rather than /tmp, which other jobs on a shared machine may sweep.
 */
const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'node_modules',
  '.cache',
  'attest-media-fixtures',
);

function cached(name: string, make: (out: string) => void): string {
  mkdirSync(FIXTURES, { recursive: true });
  const file = join(FIXTURES, name);
  if (existsSync(file)) return file;
  // Parallel test files may race to make the same fixture: build aside, rename into place.
  const partial = `${file}.${process.pid}.part.mp4`;
  make(partial);
  renameSync(partial, file);
  return file;
}

/**
 * H.264 in fragmented MP4, ~1 s fragments (a keyframe each second), as the renderer's muxer
 * writes it: ftyp+moov (empty_moov), then moof+mdat pairs, then mfra.
 */
export function fragmentedVideo(seconds = 20, size = '640x360'): string {
  return cached(`video-${size}-${seconds}s.mp4`, (out) =>
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30'],
      ...['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000'],
      ...['-f', 'mp4', out],
    ]),
  );
}

/** AAC audio in fragmented MP4 with ~1 s fragments (a microphone's file). */
export function fragmentedAudio(seconds = 20): string {
  return cached(`audio-${seconds}s.mp4`, (out) =>
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', String(seconds), '-c:a', 'aac', '-b:a', '64k'],
      ...['-movflags', '+empty_moov+default_base_moof', '-frag_duration', '1000000'],
      ...['-f', 'mp4', out],
    ]),
  );
}

/** A plain (not fragmented) MP4 with video and audio, for mediabunny to remux. */
export function plainMp4(seconds = 6): string {
  return cached(`plain-av-${seconds}s.mp4`, (out) =>
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30'],
      ...['-c:a', 'aac', '-shortest', '-f', 'mp4', out],
    ]),
  );
}

/**
 * A camera file made as the renderer makes one: H.264 High without B-frames (libx264 stands
 * in for Chromium's realtime encoder, which emits none either), muxed by mediabunny with the
 * renderer's options (fragmented, ~1 s fragments, no frame rate on the track) at capture
 * times: ~30 fps that drift and jitter by a few ms (seeded), as a real camera's do. Written
 * to `out`; returns the frame times in seconds.
 */
export async function capturedVideo(out: string, seconds = 20, seed = 7): Promise<number[]> {
  const frames = Math.round(seconds * 30);
  const encoded = cached(`high-nobf-${frames}f.mp4`, (file) =>
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30'],
      ...['-frames:v', String(frames), '-c:v', 'libx264', '-profile:v', 'high', '-bf', '0'],
      ...['-preset', 'veryfast', '-g', '30', '-pix_fmt', 'yuv420p', '-f', 'mp4', file],
    ]),
  );
  const input = new Input({ source: new FilePathSource(encoded), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  const decoderConfig = await track.getDecoderConfig();
  const target = new BufferTarget();
  const output = new Output({
    format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: 1 }),
    target,
  });
  const source = new EncodedVideoPacketSource('avc');
  output.addVideoTrack(source);
  await output.start();
  const random = rng(seed);
  const times: number[] = [];
  let t = 0.02 + random() / 30;
  for await (const p of new EncodedPacketSink(track).packets()) {
    times.push(t);
    await source.add(
      new EncodedPacket(p.data, p.type, t, 1 / 30),
      times.length === 1 && decoderConfig ? { decoderConfig } : undefined,
    );
    // A frame interval of 33.4 ms ± 6 ms: a little slower than 30 fps, never on a grid.
    t += 0.0334 + (random() - 0.5) * 0.012;
  }
  await output.finalize();
  input.dispose();
  writeFileSync(out, new Uint8Array(target.buffer!));
  return times;
}

export interface Box {
  type: string;
  start: number;
  size: number;
}

/** Top-level boxes, walked independently of the code under test. */
export function topBoxes(bytes: Uint8Array): Box[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Box[] = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = v.getUint32(at);
    if (size === 1) size = Number(v.getBigUint64(at + 8));
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (size < 8) throw new Error(`bad box at ${at}`);
    out.push({ type, start: at, size });
    at += size;
  }
  return out;
}

/** The whole units of a fragmented MP4: the init (to moov's end), each [moof..mdat], the tail. */
export function unitsOf(bytes: Uint8Array): { kind: string; offset: number; size: number }[] {
  const boxes = topBoxes(bytes);
  const units: { kind: string; offset: number; size: number }[] = [];
  let start = 0;
  for (const b of boxes) {
    const end = b.start + b.size;
    if (b.type === 'moov') units.push({ kind: 'init', offset: start, size: end - start });
    else if (b.type === 'mdat') units.push({ kind: 'fragment', offset: start, size: end - start });
    else if (b.type === 'mfra') units.push({ kind: 'tail', offset: start, size: end - start });
    else continue;
    start = end;
  }
  return units;
}

/** Cuts `bytes` into runs of random length in [min, max]. */
export function randomChunks(
  bytes: Uint8Array,
  rand: () => number,
  min = 1,
  max = 256 * 1024,
): { offset: number; payload: Uint8Array }[] {
  const out: { offset: number; payload: Uint8Array }[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = Math.min(bytes.length - at, min + Math.floor(rand() * (max - min + 1)));
    out.push({ offset: at, payload: bytes.subarray(at, at + n) });
    at += n;
  }
  return out;
}

export function frame(sourceId: string, segment: number, offset: number, payload: Uint8Array) {
  return encodeMediaFrame({ sourceId, segment, offset }, payload);
}

export function sha256sum(path: string): string {
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
}

export interface Probe {
  streams: { codec_name: string; codec_type: string; duration?: string; nb_read_frames?: string }[];
  format: { duration?: string; format_name: string };
}

export function ffprobe(path: string, countFrames = false): Probe {
  const args = ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format'];
  if (countFrames) args.push('-count_frames');
  return JSON.parse(execFileSync('ffprobe', [...args, path], { encoding: 'utf8' })) as Probe;
}

/** What `ffmpeg -v error -i f -f null -` prints while decoding all of it (empty: clean). */
export function decodeErrors(path: string): string {
  try {
    const r = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return r.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return (err.stderr ?? err.message).trim() || 'ffmpeg failed';
  }
}

/** Seconds of video that decode (frames read / 30). */
export function decodedVideoSeconds(path: string, fps = 30): number {
  const p = ffprobe(path, true);
  const v = p.streams.find((s) => s.codec_type === 'video');
  return Number(v?.nb_read_frames ?? 0) / fps;
}

/** A client that carries media frames, and every frame it received (error replies to media included). */
export interface MediaClient {
  client: Client;
  received: ServerFrame[];
  /** Error replies with id -1 (refused media frames). */
  refusals(): { code: string; message: string }[];
  close(): void;
}

function tapped(channel: Omit<Channel, 'onMessage'> & { listen(r: (t: string) => void): void }) {
  const received: ServerFrame[] = [];
  const receivers: ((text: string) => void)[] = [];
  channel.listen((text) => {
    received.push(JSON.parse(text) as ServerFrame);
    for (const r of receivers) r(text);
  });
  const client = createClient({ ...channel, onMessage: (r) => receivers.push(r) });
  const refusals = () =>
    received
      .filter((f): f is Extract<ServerFrame, { t: 'res' }> => f.t === 'res' && f.id === -1)
      .map((f) => (f.ok ? { code: 'OK', message: '' } : f.error));
  return { client, received, refusals };
}

/** In memory, straight to a core connection (frames still cross as JSON text and bytes). */
export function memoryMediaClient(core: Core): MediaClient {
  const listeners: ((text: string) => void)[] = [];
  const closers: ((reason: string) => void)[] = [];
  const connection = core.connect((text) =>
    queueMicrotask(() => listeners.forEach((l) => l(text))),
  );
  const t = tapped({
    send: (text) => void connection.receive(text),
    sendBinary: (bytes) => void connection.receiveBinary(bytes),
    listen: (r) => listeners.push(r),
    onClose: (c) => closers.push(c),
  });
  return {
    ...t,
    close() {
      connection.close();
      t.client.close();
    },
  };
}

/** Over a WebSocket to the host, binary messages carrying the media frames. */
export async function socketMediaClient(host: Host): Promise<MediaClient & { ws: WebSocket }> {
  const ws = openSocket(host);
  const t = tapped({
    send: (text) => ws.send(text),
    sendBinary: (bytes) => ws.send(bytes, { binary: true }),
    listen: (r) => ws.on('message', (d: Buffer) => r(d.toString())),
    onClose: (closed) =>
      ws.on('close', (code, reason) => closed(reason.toString() || `code ${code}`)),
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ...t, ws, close: () => ws.close() };
}

export const SOURCES = [
  { sourceId: 'cam1', kind: 'camera', deviceNo: 'CAM-01', role: 'interviewee_closeup' },
  { sourceId: 'cam2', kind: 'camera', deviceNo: 'CAM-02', role: 'room_wide' },
  { sourceId: 'mic1', kind: 'microphone', deviceNo: 'MIC-01', role: 'ambient' },
] as const;

export function preflight(now: number, sources = SOURCES): PreflightInput {
  return {
    sources: sources.map((s) => ({ ...s, label: `${s.deviceNo} fake device` })),
    disk: { freeBytes: 50 * 1024 ** 3, expectedBytes: 10 * 1024 * 1024 },
    clock: { utc: now, timeZone: 'Asia/Shanghai', monotonicOffsetMs: 0.25 },
    confirmedAt: now,
  };
}

/**
 * Through the contract: admin, officers, devices CAM-01, CAM-02, MIC-01, a case and an
 * interview session, started, with its pre-flight saved. Leaves `client` signed in as admin.
 */
export async function recordingSession(client: Client, opts: { preflight?: boolean } = {}) {
  const { officers } = await seed(client);
  for (const s of SOURCES) {
    await client.invoke('devices.register', {
      deviceNo: s.deviceNo,
      kind: s.kind,
      label: `${s.deviceNo} in 询问室一`,
    });
  }
  const created = await client.invoke('cases.create', caseInput([officers[0].id, officers[1].id]));
  const session = await client.invoke('sessions.create', {
    caseId: created.id,
    kind: 'interview',
    place: '石家庄市人防办询问室一',
    officers: [
      { officerId: officers[0].id, role: 'interviewer' },
      { officerId: officers[1].id, role: 'recorder' },
    ],
    participants: [{ role: 'party', name: '赵六' }],
  });
  if (opts.preflight !== false) {
    const { now } = await client.invoke('app.info', {});
    await client.invoke('recording.savePreflight', {
      sessionId: session.id,
      preflight: preflight(now),
    });
  } else {
    // No check saved: the agency's list then must not require one for interviews.
    await client.invoke('avList.save', {
      entries: [{ session: 'hearing', matter: 'any', requirement: 'whole' }],
      note: '询问不列入清单（测试未作录制前检查的情形）',
    });
  }
  const started = await client.invoke('sessions.start', { id: session.id });
  return { session: started, officers, caseId: created.id };
}

export function openInput(
  sessionId: number,
  sourceId: string,
  kind: SegmentKind,
  sessionTimeUs = 0,
  firstCaptureTimeUs = 1_000_000_000 + sessionTimeUs,
) {
  return kind === 'microphone'
    ? {
        sessionId,
        sourceId,
        kind,
        codec: 'mp4a.40.2',
        sampleRate: 48000,
        channels: 1,
        firstCaptureTimeUs,
        sessionTimeUs,
      }
    : {
        sessionId,
        sourceId,
        kind,
        codec: 'avc1.64001e',
        width: 640,
        height: 360,
        frameRate: 30,
        firstCaptureTimeUs,
        sessionTimeUs,
      };
}

/** Waits until `check` holds, polling (for effects that arrive as events or timers). */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
