/**
 * Encoded frames as the recorder's encoders give them, made by ffmpeg for the live room's
 * tests: H.264 High profile without B-frames (a key frame a second, as the recorder makes),
 * each access unit in WebCodecs' length-prefixed form with the avcC record of the stream, and
 * Opus packets read out of an Ogg file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '../../electron/shared/client';
import { encodeLiveFrame } from '../../electron/shared/media';

export interface EncodedFrame {
  key: boolean;
  /** µs */
  ts: number;
  data: Uint8Array;
}

/** The NAL units of an Annex B stream. */
export function annexBUnits(stream: Uint8Array): Uint8Array[] {
  const starts: { at: number; body: number }[] = [];
  for (let i = 0; i + 3 <= stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0) {
      if (stream[i + 2] === 1) {
        starts.push({ at: i, body: i + 3 });
        i += 2;
      } else if (stream[i + 2] === 0 && stream[i + 3] === 1) {
        starts.push({ at: i, body: i + 4 });
        i += 3;
      }
    }
  }
  return starts.map((s, k) =>
    stream.subarray(s.body, k + 1 < starts.length ? starts[k + 1]!.at : stream.length),
  );
}

export function annexBOf(units: readonly Uint8Array[]): Buffer {
  return Buffer.concat(units.flatMap((u) => [Buffer.from([0, 0, 0, 1]), Buffer.from(u)]));
}

function avccOf(sps: Uint8Array, pps: Uint8Array): Uint8Array {
  return Buffer.concat([
    Buffer.from([1, sps[1]!, sps[2]!, sps[3]!, 0xff, 0xe1, sps.length >> 8, sps.length & 0xff]),
    Buffer.from(sps),
    Buffer.from([1, pps.length >> 8, pps.length & 0xff]),
    Buffer.from(pps),
  ]);
}

/** A counter clip (ffmpeg's testsrc: frame numbers drawn) as the recorder's H.264 frames. */
export function h264Clip(seconds: number, width = 640, height = 360, fps = 30) {
  const dir = mkdtempSync(join(tmpdir(), 'attest-live-clip-'));
  try {
    const file = join(dir, 'clip.h264');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', `testsrc=size=${width}x${height}:rate=${fps}`, '-t', String(seconds)],
      ...['-c:v', 'libx264', '-profile:v', 'high', '-level', '4.0', '-bf', '0', '-g', String(fps)],
      ...['-pix_fmt', 'yuv420p', '-bsf:v', 'h264_metadata=aud=insert', '-f', 'h264', file],
    ]);
    const units = annexBUnits(readFileSync(file));
    let sps: Uint8Array | null = null;
    let pps: Uint8Array | null = null;
    const frames: EncodedFrame[] = [];
    let current: Uint8Array[] = [];
    const flush = () => {
      if (!current.length) return;
      const key = current.some((u) => (u[0]! & 0x1f) === 5);
      const data = Buffer.concat(
        current.flatMap((u) => {
          const len = Buffer.alloc(4);
          len.writeUInt32BE(u.length);
          return [len, Buffer.from(u)];
        }),
      );
      frames.push({ key, ts: Math.round((frames.length * 1_000_000) / fps), data });
      current = [];
    };
    for (const u of units) {
      const type = u[0]! & 0x1f;
      if (type === 9) flush();
      else if (type === 7) sps = u;
      else if (type === 8) pps = u;
      else if (type !== 6) current.push(u);
    }
    flush();
    if (!sps || !pps) throw new Error('ffmpeg gave no parameter sets');
    return { avcc: avccOf(sps, pps), sps, pps, frames, fps, width, height };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A 440 Hz tone as Opus packets (20 ms each), read from ffmpeg's Ogg output. */
export function opusTone(seconds: number): EncodedFrame[] {
  const dir = mkdtempSync(join(tmpdir(), 'attest-live-tone-'));
  try {
    const file = join(dir, 'tone.ogg');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
      ...['-c:a', 'libopus', '-b:a', '32k', '-frame_duration', '20', '-ac', '1', file],
    ]);
    const ogg = readFileSync(file);
    const packets: Uint8Array[] = [];
    let partial: Buffer[] = [];
    for (let at = 0; at + 27 <= ogg.length;) {
      if (ogg.toString('latin1', at, at + 4) !== 'OggS') throw new Error('not an Ogg page');
      const segments = ogg[at + 26]!;
      const table = ogg.subarray(at + 27, at + 27 + segments);
      let body = at + 27 + segments;
      for (const size of table) {
        partial.push(ogg.subarray(body, body + size));
        body += size;
        if (size < 255) {
          packets.push(Buffer.concat(partial));
          partial = [];
        }
      }
      at = body;
    }
    // The first two packets are the OpusHead and OpusTags headers.
    return packets.slice(2).map((data, i) => ({ key: true, ts: i * 20_000, data }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The desk's encoders, in real time: the clip and the tone looped, time stamps running on. */
export function forwardLive(
  desk: Client,
  video: { avcc: Uint8Array; frames: EncodedFrame[] },
  tone: EncodedFrame[],
) {
  const avcc = Buffer.from(video.avcc).toString('base64');
  const t0 = Date.now();
  let v = 0;
  let a = 0;
  const timer = setInterval(() => {
    const us = (Date.now() - t0) * 1000;
    while (Math.round((v * 1e6) / 30) <= us) {
      const f = video.frames[v % video.frames.length]!;
      const key = f.key;
      desk.sendMedia(
        encodeLiveFrame(
          {
            live: 'video',
            sourceId: 'cam-1',
            ts: Math.round((v * 1e6) / 30),
            key,
            ...(key ? { avcc } : {}),
          },
          f.data,
        ),
      );
      v++;
    }
    while (a * 20_000 <= us) {
      desk.sendMedia(
        encodeLiveFrame(
          { live: 'audio', sourceId: 'mic-1', ts: a * 20_000 },
          tone[a % tone.length]!.data,
        ),
      );
      a++;
    }
  }, 10);
  return { stop: () => clearInterval(timer), counts: () => ({ video: v, audio: a }) };
}
