/**
 * Synthetic media for the demonstration case, made with ffmpeg's test sources: two cameras
 * (test patterns with a burned-in frame counter and device number), a microphone (a 1 kHz
 * click every second, so sync can be checked by ear and by eye) and the program file
 * (picture-in-picture with the case number and the local time burned in, as the recording
 * norms ask), each H.264/Opus in fragmented MP4 like the recorder writes.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SegmentKind, SourceRole } from '../../shared/api/recording';
import { findProgram } from '../platform/programs';

const run = promisify(execFile);

export interface DemoSource {
  sourceId: string;
  kind: SegmentKind;
  /** Registered device number (cameras and microphones only). */
  deviceNo: string | null;
  role: SourceRole | null;
  label: string;
  path: string;
  codec: string;
  width?: number;
  height?: number;
  frameRate?: number;
  sampleRate?: number;
  channels?: number;
}

/** The first line of `ffmpeg -version`, or null when ffmpeg cannot be run. */
export async function ffmpegVersion(ffmpeg = 'ffmpeg'): Promise<string | null> {
  const path = findProgram(ffmpeg);
  if (!path) return null;
  try {
    const { stdout } = await run(path, ['-hide_banner', '-version'], { timeout: 20_000 });
    return stdout.split('\n')[0]?.trim() || 'ffmpeg';
  } catch {
    return null;
  }
}

export interface DemoMediaOptions {
  seconds: number;
  /** The case line burned into the program (e.g. the case number and the session kind). */
  caption: string;
  /** UTC ms of session time 0, and the zone offset of the local time shown (minutes). */
  startAt: number;
  offsetMinutes: number;
  /** A font with the caption's characters (the PDF's CJK font); without it the caption is left out. */
  fontFile: string | null;
  ffmpeg?: string;
}

const SIZE = { width: 640, height: 360, fps: 15 };
const FRAG = [
  '-movflags',
  '+frag_keyframe+empty_moov+default_base_moof',
  '-frag_duration',
  '1000000',
];
const H264 = [
  ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-g', String(SIZE.fps)],
  ...['-profile:v', 'high', '-level', '3.1', '-pix_fmt', 'yuv420p'],
];
/** Opus in MP4, as the recorder writes the sound (WebCodecs has no AAC encoder in Chromium). */
const OPUS = ['-c:a', 'libopus', '-b:a', '48k', '-ar', '48000', '-ac', '1'];
/** A 50 ms 1 kHz click at the start of every second. */
const CLICKS = 'aevalsrc=0.5*sin(2*PI*1000*t)*lt(mod(t\\,1)\\,0.05):s=48000:c=mono';

/** Escapes a path for a filter argument (drawtext fontfile=…). */
function filterPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/:/g, '\\:').replace(/'/g, "\\'");
}

export async function makeDemoMedia(dir: string, o: DemoMediaOptions): Promise<DemoSource[]> {
  const ffmpeg = findProgram(o.ffmpeg ?? 'ffmpeg');
  if (!ffmpeg) throw new Error(`${o.ffmpeg ?? 'ffmpeg'} is not installed`);
  await fsp.mkdir(dir, { recursive: true });
  const t = String(o.seconds);
  const font = o.fontFile && existsSync(o.fontFile) ? `fontfile='${filterPath(o.fontFile)}':` : '';
  const video = {
    codec: 'avc1.64001f',
    width: SIZE.width,
    height: SIZE.height,
    frameRate: SIZE.fps,
  };
  const label = (text: string) =>
    `drawtext=${font}text='${text}  %{frame_num}':x=w-tw-16:y=16:fontsize=26:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6`;
  const cams = [
    { sourceId: 'cam1', deviceNo: 'DEMO-CAM-01', role: 'interviewee_closeup', src: 'testsrc2' },
    { sourceId: 'cam2', deviceNo: 'DEMO-CAM-02', role: 'room_wide', src: 'testsrc' },
  ] as const;
  const sources: DemoSource[] = [];
  for (const c of cams) {
    const path = join(dir, `${c.sourceId}.mp4`);
    await run(ffmpeg, [
      ...['-v', 'error', '-y', '-f', 'lavfi'],
      ...['-i', `${c.src}=size=${SIZE.width}x${SIZE.height}:rate=${SIZE.fps}`],
      ...['-t', t, '-vf', label(c.deviceNo), ...H264, ...FRAG, '-f', 'mp4', path],
    ]);
    sources.push({
      sourceId: c.sourceId,
      kind: 'camera',
      deviceNo: c.deviceNo,
      role: c.role,
      label: `演示摄像机 ${c.sourceId.slice(3)}（ffmpeg 合成画面）`,
      path,
      ...video,
    });
  }
  const mic = join(dir, 'mic1.mp4');
  await run(ffmpeg, [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', CLICKS],
    ...['-t', t, ...OPUS, ...FRAG, '-f', 'mp4', mic],
  ]);
  sources.push({
    sourceId: 'mic1',
    kind: 'microphone',
    deviceNo: 'DEMO-MIC-01',
    role: 'ambient',
    label: '演示拾音器（每秒一声 1 kHz 提示音）',
    path: mic,
    codec: 'opus',
    sampleRate: 48000,
    channels: 1,
  });

  // The program: camera 1 with camera 2 inset, the case line and the local time burned in.
  const epoch = Math.floor(o.startAt / 1000) + o.offsetMinutes * 60;
  const captionFile = join(dir, 'caption.txt');
  await fsp.writeFile(
    captionFile,
    `${o.caption}  %{pts:gmtime:${epoch}:%Y-%m-%d %H\\:%M\\:%S}`,
    'utf8',
  );
  const caption = font
    ? `,drawtext=${font}textfile='${filterPath(captionFile)}':x=12:y=h-th-14:fontsize=20:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6`
    : '';
  const program = join(dir, 'program.mp4');
  await run(ffmpeg, [
    ...['-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${SIZE.width}x${SIZE.height}:rate=${SIZE.fps}`],
    ...['-f', 'lavfi', '-i', `testsrc=size=${SIZE.width}x${SIZE.height}:rate=${SIZE.fps}`],
    ...['-f', 'lavfi', '-i', CLICKS],
    ...['-t', t, '-filter_complex'],
    `[1:v]scale=${SIZE.width / 3}:${SIZE.height / 3}[pip];[0:v][pip]overlay=W-w-12:H-h-12${caption}[v]`,
    ...['-map', '[v]', '-map', '2:a', ...H264, ...OPUS, ...FRAG, '-f', 'mp4', program],
  ]);
  sources.push({
    sourceId: 'program',
    kind: 'program',
    deviceNo: null,
    role: null,
    label: '合成画面（画中画，叠加案号和时间）',
    path: program,
    ...video,
    // Named by its video codec; its sound's rate and channels are kept beside it.
    sampleRate: 48000,
    channels: 1,
  });
  return sources;
}
