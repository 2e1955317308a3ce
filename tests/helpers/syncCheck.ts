/**
 * Reads recorded files back from their content, with ffmpeg and ffprobe only (nothing of the
 * code under test): the frame counter and the flash of the fake clip (fakeCapture.ts) per
 * decoded frame with its presentation time, the clicks of the fake microphone per audio
 * stream with theirs, and the comparisons the recording tests and the capture benchmark make.
 *
 * Every time here is the file's own presentation time in seconds (`-copyts`: not shifted to
 * start at zero), which for this app's files is session time.
 */
import { spawnSync } from 'node:child_process';
import { checksum, CLIP } from './fakeCapture';

/** Frames are decoded scaled down by this factor (1280x720 → 320x180 gray), enough to read. */
const SCALE = 4;
const W = CLIP.width / SCALE;
const H = CLIP.height / SCALE;

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** Regions in full-size pixels. */
export const REGIONS = {
  /** Below the program's caption box (which ends near y=108), left of its inset (x≥880). */
  flash: { x: 40, y: 150, w: 560, h: 130 },
  /** Inside the program's caption box (semi-transparent black with white text). */
  caption: { x: 24, y: 20, w: 216, h: 80 },
} satisfies Record<string, Rect>;

export interface DecodedFrame {
  /** Presentation time, seconds. */
  pts: number;
  /** The clip's frame counter, or null where the strip could not be read with confidence. */
  counter: number | null;
  /** A flash frame (every 30th frame of the clip). */
  flash: boolean;
  /** Mean luma of the flash region. */
  flashLuma: number;
  /** Gray pixels of the caption region (scaled), to compare files at the same time. */
  caption: Uint8Array;
  /** Gray pixels of the flash region (scaled): a control for the caption comparison. */
  control: Uint8Array;
}

function run(cmd: string, args: string[]): { stdout: Buffer; stderr: string } {
  const r = spawnSync(cmd, args, { maxBuffer: 2 ** 31 - 1 });
  if (r.error) throw r.error;
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${stderr}`);
  return { stdout: r.stdout, stderr };
}

/** A region given in full-size pixels, cut from a scaled frame. */
function crop(frame: Uint8Array, r: Rect): Uint8Array {
  return cropScaled(frame, r.x / SCALE, r.y / SCALE, r.w / SCALE, r.h / SCALE);
}

function cropScaled(frame: Uint8Array, x: number, y: number, w: number, h: number): Uint8Array {
  const [x0, y0, cw, ch] = [x, y, w, h].map(Math.round) as [number, number, number, number];
  const out = new Uint8Array(cw * ch);
  for (let r = 0; r < ch; r++)
    out.set(frame.subarray((y0 + r) * W + x0, (y0 + r) * W + x0 + cw), r * cw);
  return out;
}

function mean(px: Uint8Array): number {
  let s = 0;
  for (const v of px) s += v;
  return s / Math.max(1, px.length);
}

/** Reads the counter strip of one scaled gray frame: 12 bits and a 4-bit checksum. */
export function readStrip(frame: Uint8Array): number | null {
  const { strip } = CLIP;
  const bw = W / strip.blocks;
  const sh = strip.height / SCALE;
  let word = 0;
  for (let b = 0; b < strip.blocks; b++) {
    // The middle half of each block, away from its edges (blurred by scaling and coding).
    const m = mean(cropScaled(frame, b * bw + bw / 4, strip.y / SCALE + sh / 4, bw / 2, sh / 2));
    if (m > 70 && m < 185) return null; // neither black nor white: not trustworthy
    word = (word << 1) | (m >= 128 ? 1 : 0);
  }
  const counter = word >> 4;
  return (word & 0xf) === checksum(counter) ? counter : null;
}

/** Decodes the first video stream of a file and reads every frame. */
export function readVideo(file: string): DecodedFrame[] {
  const { stdout, stderr } = run('ffmpeg', [
    ...['-hide_banner', '-nostats', '-copyts', '-i', file, '-map', '0:v:0'],
    ...['-vf', `scale=${W}:${H}:flags=area,showinfo`, '-fps_mode', 'passthrough'],
    ...['-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
  ]);
  const tb = /config in time_base: (\d+)\/(\d+)/.exec(stderr);
  if (!tb) throw new Error(`no time base from showinfo for ${file}`);
  const timeBase = Number(tb[1]) / Number(tb[2]);
  const pts = [...stderr.matchAll(/\] n:\s*\d+ pts:\s*(-?\d+)/g)].map(
    (m) => Number(m[1]) * timeBase,
  );
  const size = W * H;
  if (stdout.length !== pts.length * size)
    throw new Error(`${file}: ${stdout.length / size} frames of pixels but ${pts.length} times`);
  return pts.map((t, i) => {
    const frame = new Uint8Array(stdout.buffer, stdout.byteOffset + i * size, size);
    const control = crop(frame, REGIONS.flash);
    const flashLuma = mean(control);
    return {
      pts: t,
      counter: readStrip(frame),
      flash: flashLuma > (CLIP.background + CLIP.flashLuma) / 2,
      flashLuma,
      caption: crop(frame, REGIONS.caption),
      control,
    };
  });
}

export interface DecodedAudio {
  sampleRate: number;
  /** Presentation times (s) of each click's onset. */
  clicks: number[];
  /** Presentation time of the first and just after the last sample. */
  start: number;
  end: number;
  /** Holes between consecutive decoded frames longer than 1 ms, as [at, seconds]. */
  gaps: [number, number][];
  /** Peak absolute sample value. */
  peak: number;
}

/**
 * Decodes the first audio stream (downmixed to mono, not resampled, no timestamp correction)
 * and finds the onset of every click: the first sample over `threshold` after at least 0.3 s
 * below it. Each sample's time is its decoded frame's pts plus its index in the frame.
 */
export function readAudio(file: string, threshold = 0.2): DecodedAudio {
  const { stdout, stderr } = run('ffmpeg', [
    ...['-hide_banner', '-nostats', '-copyts', '-i', file, '-map', '0:a:0'],
    ...['-af', 'ashowinfo', '-f', 'f32le', '-ac', '1', '-'],
  ]);
  const frames = [...stderr.matchAll(/pts_time:(-?[\d.e+-]+) .*?rate:(\d+) nb_samples:(\d+)/g)].map(
    (m) => ({ pts: Number(m[1]), rate: Number(m[2]), n: Number(m[3]) }),
  );
  if (!frames.length) throw new Error(`${file}: no audio frames`);
  const samples = new Float32Array(
    stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length),
  );
  const total = frames.reduce((s, f) => s + f.n, 0);
  if (total !== samples.length)
    throw new Error(`${file}: ${samples.length} samples decoded, frames say ${total}`);
  const rate = frames[0]!.rate;
  const clicks: number[] = [];
  const gaps: [number, number][] = [];
  let quietSince = -Infinity;
  let peak = 0;
  let at = 0;
  let prevEnd: number | null = null;
  for (const f of frames) {
    if (prevEnd !== null && f.pts - prevEnd > 0.001) gaps.push([prevEnd, f.pts - prevEnd]);
    prevEnd = f.pts + f.n / rate;
    for (let i = 0; i < f.n; i++) {
      const v = Math.abs(samples[at + i]!);
      const t = f.pts + i / rate;
      peak = Math.max(peak, v);
      if (v > threshold) {
        if (t - quietSince >= 0.3) clicks.push(t);
        quietSince = Infinity;
      } else if (quietSince === Infinity) {
        quietSince = t;
      } else if (quietSince === -Infinity) {
        quietSince = t - 1; // the file starts quiet enough
      }
    }
    at += f.n;
  }
  return {
    sampleRate: rate,
    clicks,
    start: frames[0]!.pts,
    end: prevEnd!,
    gaps,
    peak,
  };
}

export interface ProbedStream {
  index: number;
  codec_type: 'video' | 'audio' | string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  start_time?: string;
  duration?: string;
  nb_read_packets?: string;
}

export interface Probed {
  streams: ProbedStream[];
  format: { duration?: string; start_time?: string; format_name: string; size: string };
}

/** ffprobe's view of a file: streams, codecs, start and duration (packets counted). */
export function probe(file: string): Probed {
  const { stdout } = run('ffprobe', [
    ...['-v', 'error', '-count_packets', '-show_streams', '-show_format'],
    ...['-of', 'json', file],
  ]);
  return JSON.parse(stdout.toString()) as Probed;
}

/**
 * ffmpeg decodes every stream to the end; returns what it complained about (empty: clean).
 * Frames keep their own times (`passthrough`, the demuxer's time base): the files have a
 * variable frame rate, which a constant-rate null output would misreport as bad time stamps.
 */
export function decodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', [
    ...['-v', 'error', '-xerror', '-i', file, '-map', '0'],
    ...['-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'null', '-'],
  ]);
  const err = r.stderr.toString().trim();
  return r.status === 0 ? err : `exit ${r.status}: ${err}`;
}

export interface StreamSpan {
  codecType: string;
  packets: number;
  /** First packet's presentation time and the end of the last packet (pts + duration), s. */
  start: number;
  end: number;
  /** Holes between consecutive packets (in presentation order) longer than 1.5 typical packets. */
  holes: number;
  /**
   * The longest step between consecutive packets in the stream's last 2 s (s): how far apart
   * its device delivered as it ended, so how long before a stop its last packet may lie.
   */
  tailStep: number;
}

/** What each stream of a file covers, from its packets (no decoding). */
export function streamSpans(file: string): StreamSpan[] {
  const { stdout } = run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'packet=stream_index,pts_time,duration_time'],
    ...['-show_entries', 'stream=index,codec_type', '-of', 'json', file],
  ]);
  const j = JSON.parse(stdout.toString()) as {
    streams: { index: number; codec_type: string }[];
    packets: { stream_index: number; pts_time: string; duration_time?: string }[];
  };
  return j.streams.map((st) => {
    const ps = j.packets
      .filter((p) => p.stream_index === st.index)
      .map((p) => ({ t: Number(p.pts_time), d: Number(p.duration_time ?? 0) }))
      .sort((a, b) => a.t - b.t);
    const deltas = ps.slice(1).map((p, i) => p.t - ps[i]!.t);
    const typical = [...deltas].sort((a, b) => a - b)[Math.floor(deltas.length / 2)] ?? 0;
    return {
      codecType: st.codec_type,
      packets: ps.length,
      start: ps[0]?.t ?? NaN,
      end: Math.max(...ps.map((p) => p.t + p.d)),
      holes: deltas.filter((d) => d > 1.5 * typical).length,
      tailStep: Math.max(0, ...deltas.filter((_, i) => ps[i + 1]!.t >= ps.at(-1)!.t - 2)),
    };
  });
}

export interface CounterRun {
  /** Clip frames (counter values) between the first and last frame that the file lacks. */
  skipped: number;
  /** Steps where the counter went backwards or repeated, in presentation order. */
  disorder: number;
  /**
   * The fake camera's own timing against its content: (pts − first pts) − (frames shown
   * since the first)/30, range in seconds. 0 for a device that keeps real time.
   */
  slip: { min: number; max: number };
}

/** The counter along a file (the clip loops every CLIP.seconds). */
export function counterRun(frames: DecodedFrame[]): CounterRun {
  const period = CLIP.fps * CLIP.seconds;
  const read = frames.filter((f) => f.counter !== null);
  let skipped = 0;
  let disorder = 0;
  let shown = 0;
  let min = 0;
  let max = 0;
  for (let i = 1; i < read.length; i++) {
    const step = (read[i]!.counter! - read[i - 1]!.counter! + period) % period;
    if (step === 0 || step > period / 2) disorder++;
    else {
      skipped += step - 1;
      shown += step;
    }
    const slip = read[i]!.pts - read[0]!.pts - shown / CLIP.fps;
    min = Math.min(min, slip);
    max = Math.max(max, slip);
  }
  return { skipped, disorder, slip: { min, max } };
}

/**
 * The clip's own clock against the file's: a line through (pts, seconds of clip shown), the
 * counter unwrapped across the clip's loops. `slope` is the fake camera's content rate (1 for
 * a device that plays the clip at exactly 30 fps); `residual` how far it strays from a
 * steady rate (a device that stalls and catches up, or skips).
 */
export function contentClock(frames: DecodedFrame[]): LineFit {
  const period = CLIP.fps * CLIP.seconds;
  const read = frames.filter((f) => f.counter !== null);
  const x: number[] = [];
  const y: number[] = [];
  let shown = 0;
  read.forEach((f, i) => {
    if (i > 0) shown += (f.counter! - read[i - 1]!.counter! + period) % period;
    x.push(f.pts);
    y.push(shown / CLIP.fps);
  });
  return fitLine(x, y);
}

export interface Alignment {
  /** Counter values found in both files. */
  common: number;
  /** other − reference, seconds, over those frames. */
  min: number;
  max: number;
  meanAbs: number;
}

/** Where the same source frame (by counter) sits in two files. */
export function alignByCounter(reference: DecodedFrame[], other: DecodedFrame[]): Alignment {
  const at = new Map<number, number[]>();
  for (const f of reference)
    if (f.counter !== null) at.set(f.counter, [...(at.get(f.counter) ?? []), f.pts]);
  const deltas: number[] = [];
  for (const f of other) {
    if (f.counter === null) continue;
    const candidates = at.get(f.counter);
    if (!candidates) continue;
    // The clip loops: the nearest showing of the same counter is the same frame.
    const nearest = candidates.reduce((a, b) =>
      Math.abs(b - f.pts) < Math.abs(a - f.pts) ? b : a,
    );
    deltas.push(f.pts - nearest);
  }
  return {
    common: deltas.length,
    min: Math.min(...deltas),
    max: Math.max(...deltas),
    meanAbs: deltas.reduce((s, d) => s + Math.abs(d), 0) / Math.max(1, deltas.length),
  };
}

/** Onsets of flashes: flash frames whose previous frame was not one. */
export function flashTimes(frames: DecodedFrame[]): number[] {
  return frames.filter((f, i) => f.flash && !frames[i - 1]?.flash).map((f) => f.pts);
}

/**
 * Pairs each event of `a` with the nearest event of `b` no further than `within` seconds:
 * `t` is the event's time in `a`, `d` the signed distance (a − b). Unpaired events are left out.
 */
export function pairNearest(a: number[], b: number[], within = 0.5): { t: number; d: number }[] {
  const pairs: { t: number; d: number }[] = [];
  for (const t of a) {
    let best = Infinity;
    for (const u of b) if (Math.abs(t - u) < Math.abs(best)) best = t - u;
    if (Math.abs(best) <= within) pairs.push({ t, d: best });
  }
  return pairs;
}

export interface LineFit {
  /** Offset at t = 0 (s) and slope (s per s). */
  intercept: number;
  slope: number;
  /** Largest absolute residual (s). */
  residual: number;
}

/** Least-squares line through (x, y) pairs. */
export function fitLine(x: number[], y: number[]): LineFit {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  const residual = Math.max(...x.map((v, i) => Math.abs(y[i]! - (intercept + slope * v))));
  return { intercept, slope, residual };
}

/**
 * Mean absolute difference of the caption region between a program frame and the camera
 * frame with the same counter, and of the control region (which should match).
 */
export function captionContrast(
  camera: DecodedFrame[],
  program: DecodedFrame[],
): { frames: number; caption: number; control: number; captionLuma: number; cameraLuma: number } {
  const byCounter = new Map(camera.filter((f) => f.counter !== null).map((f) => [f.counter!, f]));
  const mad = (a: Uint8Array, b: Uint8Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
    return s / a.length;
  };
  let n = 0;
  let caption = 0;
  let control = 0;
  let captionLuma = 0;
  let cameraLuma = 0;
  for (const p of program) {
    const c = p.counter === null ? undefined : byCounter.get(p.counter);
    if (!c || p.flash) continue;
    n++;
    caption += mad(p.caption, c.caption);
    control += mad(p.control, c.control);
    captionLuma += mean(p.caption);
    cameraLuma += mean(c.caption);
  }
  const d = Math.max(1, n);
  return {
    frames: n,
    caption: caption / d,
    control: control / d,
    captionLuma: captionLuma / d,
    cameraLuma: cameraLuma / d,
  };
}
