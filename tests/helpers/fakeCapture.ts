/**
 * A fake camera clip and a fake microphone file for Chromium's
 * `--use-file-for-fake-video-capture` / `--use-file-for-fake-audio-capture`, made with ffmpeg
 * at test time and cached under node_modules/.cache/attest-fake-capture (never committed).
 *
 * The clip (1280x720, 30 fps, MJPEG) shows, in every frame:
 * - a frame counter as a row of 16 black/white blocks across the middle of the picture
 *   (12 bits of counter, 4 bits of checksum), large enough to read back after H.264 and after
 *   the program file's composition (the program draws the main camera full frame; the
 *   caption sits top left and the inset bottom right, both clear of the strip);
 * - a full-frame white flash on every 30th frame (the counter strip stays readable on it).
 * The sound is silence with a short, sharp-edged 2 kHz burst at every whole second.
 *
 * Chromium loops both files; they are long (60 s) so a counter value is unique within any
 * window a test compares. The two loops start independently (each when Chromium opens its
 * fake device), so the phase between clicks and flashes is arbitrary: see syncCheck.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'node_modules',
  '.cache',
  'attest-fake-capture',
);

/** Geometry and content of the clip, shared with the reader in syncCheck.ts. */
export const CLIP = {
  width: 1280,
  height: 720,
  fps: 30,
  seconds: 60,
  /** Frames between flashes (one a second). */
  flashEvery: 30,
  /** Background luma (full range) outside the strip on ordinary frames. */
  background: 128,
  flashLuma: 255,
  /** The counter strip: 16 blocks of 80 px across the whole width. */
  strip: { y: 300, height: 120, blocks: 16, counterBits: 12 },
  /** Audio: 48 kHz mono, a burst at every whole second. */
  audio: { sampleRate: 48_000, burstHz: 2000, burstMs: 8, amplitude: 0.9 },
} as const;

const VERSION = 1;

/** 4-bit checksum of a 12-bit counter: catches a misread block. */
export function checksum(counter: number): number {
  return ((counter & 0xf) ^ ((counter >> 4) & 0xf) ^ ((counter >> 8) & 0xf) ^ 0b1010) & 0xf;
}

/** The 16 bits the strip shows for a counter, most significant first. */
export function stripBits(counter: number): number[] {
  const word = ((counter & 0xfff) << 4) | checksum(counter);
  return Array.from({ length: 16 }, (_, i) => (word >> (15 - i)) & 1);
}

function frame(n: number): Buffer {
  const { width: w, height: h, strip } = CLIP;
  const flash = n % CLIP.flashEvery === 0;
  const px = Buffer.alloc(w * h, flash ? CLIP.flashLuma : CLIP.background);
  const bits = stripBits(n);
  const bw = w / strip.blocks;
  for (let y = strip.y; y < strip.y + strip.height; y++) {
    const row = y * w;
    for (let b = 0; b < strip.blocks; b++)
      px.fill(bits[b] ? 255 : 0, row + b * bw, row + (b + 1) * bw);
  }
  return px;
}

function makeClip(out: string): Promise<void> {
  const total = CLIP.fps * CLIP.seconds;
  const ff = spawn(
    'ffmpeg',
    [
      ...['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'gray'],
      ...['-s', `${CLIP.width}x${CLIP.height}`, '-r', String(CLIP.fps), '-i', '-'],
      ...['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '3', '-f', 'mjpeg', out],
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let err = '';
  ff.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    ff.once('error', reject);
    ff.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg made no clip (${code}): ${err}`)),
    );
    let n = 0;
    const pump = () => {
      while (n < total) {
        if (!ff.stdin.write(frame(n++))) return void ff.stdin.once('drain', pump);
      }
      ff.stdin.end();
    };
    pump();
  });
}

function makeWav(out: string): void {
  const { sampleRate, burstHz, burstMs, amplitude } = CLIP.audio;
  const samples = sampleRate * CLIP.seconds;
  const pcm = new Float32Array(samples);
  const burst = Math.round((sampleRate * burstMs) / 1000);
  for (let s = 0; s < CLIP.seconds; s++) {
    for (let i = 0; i < burst; i++) {
      // Starts at full slope (sine from phase 0), ends with a short fade: a sharp onset.
      const fade = Math.min(1, (burst - i) / (burst * 0.25));
      pcm[s * sampleRate + i] =
        amplitude * fade * Math.sin((2 * Math.PI * burstHz * i) / sampleRate);
    }
  }
  const raw = join(dirname(out), `clicks.${process.pid}.f32`);
  writeFileSync(raw, Buffer.from(pcm.buffer));
  try {
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'f32le', '-ar', String(sampleRate), '-ac', '1', '-i', raw],
      ...['-c:a', 'pcm_s16le', out],
    ]);
  } finally {
    rmSync(raw, { force: true });
  }
}

export interface FakeCapture {
  /** The MJPEG clip for --use-file-for-fake-video-capture. */
  video: string;
  /** The WAV for --use-file-for-fake-audio-capture. */
  audio: string;
}

/** Makes (once per checkout) and returns the fake capture files. */
export async function fakeCapture(): Promise<FakeCapture> {
  mkdirSync(CACHE, { recursive: true });
  const video = join(
    CACHE,
    `counter-${CLIP.width}x${CLIP.height}-${CLIP.seconds}s-v${VERSION}.mjpeg`,
  );
  const audio = join(CACHE, `clicks-${CLIP.seconds}s-v${VERSION}.wav`);
  // Built aside and renamed into place: a parallel run never sees half a file.
  if (!existsSync(video)) {
    const part = `${video}.${process.pid}.part`;
    await makeClip(part);
    renameSync(part, video);
  }
  if (!existsSync(audio)) {
    const part = `${audio}.${process.pid}.part.wav`;
    makeWav(part);
    renameSync(part, audio);
  }
  return { video, audio };
}

/** Chromium switches that make the files the only camera and the microphones. */
export function fakeCaptureArgs(files: FakeCapture): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream=fps=30',
    `--use-file-for-fake-video-capture=${files.video}`,
    `--use-file-for-fake-audio-capture=${files.audio}`,
  ];
}
