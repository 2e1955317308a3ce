/**
 * The checks that ask outside tools: every media file decodes (ffprobe, and a full ffmpeg
 * decode on request) and every PDF's signatures are valid and cover the whole file
 * (pdfsig). A tool that is not installed skips its check (a warning), never fails it.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { extname } from 'node:path';
import type { WalkedFile } from '../../platform/fs';
import { findProgram } from '../../platform/programs';
import type { VerifyContext } from './verify-report';

/** ffprobe/ffmpeg input options: the file protocol and the MP4 family only. */
const LOCAL_MP4_ONLY = [
  '-protocol_whitelist',
  'file',
  '-format_whitelist',
  'mov,mp4,m4a,3gp,3g2,mj2',
];

const MEDIA_EXTENSIONS = new Set([
  '.mp4',
  '.m4a',
  '.m4v',
  '.mov',
  '.webm',
  '.mkv',
  '.wav',
  '.mp3',
  '.aac',
  '.opus',
  '.ogg',
  '.flac',
]);

interface ToolResult {
  found: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program without a shell, by its absolute path (platform/programs.ts). `found` is
 * false only when it is not installed.
 */
function runTool(cmd: string, args: string[], timeoutMs = 120_000): Promise<ToolResult> {
  const path = findProgram(cmd);
  if (!path) return Promise.resolve({ found: false, code: -1, stdout: '', stderr: 'ENOENT' });
  return new Promise((done) => {
    execFile(
      path,
      args,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (e && (e.code === 'ENOENT' || e.code === 'EACCES')) {
          done({ found: false, code: -1, stdout: '', stderr: String(e.code) });
          return;
        }
        done({
          found: true,
          code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

function firstLines(text: string, n = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .join(' | ');
}

/** 9. Every media file of the payload decodes (ffprobe; a full decode with `deepMediaCheck`). */
export async function checkMedia(
  ctx: VerifyContext,
  payload: readonly WalkedFile[],
): Promise<void> {
  const { add, opts, report } = ctx;
  const mediaFiles = payload.filter((f) => MEDIA_EXTENSIONS.has(extname(f.rel).toLowerCase()));
  const ffprobe = opts.ffprobe === undefined ? 'ffprobe' : opts.ffprobe;
  if (mediaFiles.length === 0) return;
  if (ffprobe === null) {
    add('warning', 'media-check-skipped', null, 'disabled');
    return;
  }
  for (const f of mediaFiles) {
    const rel = `data/${f.rel}`;
    // A bag may come from anywhere (a disc, another agency): read it as a local MP4 only,
    // so a crafted file cannot make ffmpeg open other files or the network.
    const r = await runTool(ffprobe, [
      '-v',
      'error',
      ...LOCAL_MP4_ONLY,
      '-show_entries',
      'format=duration',
      '-of',
      'json',
      f.abs,
    ]);
    if (!r.found) {
      add('warning', 'media-check-skipped', null, `${ffprobe} is not installed`);
      break;
    }
    let duration: number | null = null;
    try {
      const d = (JSON.parse(r.stdout) as { format?: { duration?: string } }).format?.duration;
      duration = d !== undefined && Number.isFinite(Number(d)) ? Number(d) : null;
    } catch {
      // no JSON: reported below
    }
    report.media.push({ file: rel, durationSeconds: duration });
    if (r.code !== 0 || duration === null) {
      add('error', 'media-undecodable', rel, firstLines(r.stderr) || `ffprobe exit ${r.code}`);
      continue;
    }
    if (r.stderr.trim()) add('warning', 'media-decode-warnings', rel, firstLines(r.stderr));
    if (opts.deepMediaCheck) {
      const ffmpeg = opts.deepMediaCheck.ffmpeg ?? 'ffmpeg';
      // The null output keeps each decoded frame's own time (its default is passthrough) and,
      // with `-enc_time_base -1`, in the file's own time base. Left to its default, the time
      // base is one over the average frame rate: two frames of a variable-rate recording
      // less than a frame apart round to the same tick, and the null muxer then reports
      // "non monotonically increasing dts" for times that increase in the file.
      const deep = await runTool(
        ffmpeg,
        [
          ...['-v', 'error', ...LOCAL_MP4_ONLY, '-i', f.abs],
          ...['-enc_time_base', '-1', '-f', 'null', '-'],
        ],
        3_600_000,
      );
      if (deep.found && (deep.code !== 0 || deep.stderr.trim())) {
        add(
          deep.code !== 0 ? 'error' : 'warning',
          deep.code !== 0 ? 'media-undecodable' : 'media-decode-warnings',
          rel,
          firstLines(deep.stderr),
        );
      }
      const order = await decodeOrder(ffprobe, f.abs);
      if (order) add('warning', 'media-timestamps-out-of-order', rel, order);
    }
  }
}

/**
 * Where a stream's decode times fail to increase, from ffprobe's packet list (no decoding),
 * or null when every stream's do. The decode above cannot see it: the MP4 demuxer marks
 * each sample whose decode time is not after the latest one before it as discarded, and
 * ffmpeg drops its frame without a word, so a fragment whose times go back plays with
 * frames missing. Those samples are the ones counted. The list is read as it comes: it
 * runs to millions of lines for a long recording.
 */
function decodeOrder(ffprobe: string, file: string): Promise<string | null> {
  const path = findProgram(ffprobe);
  if (!path) return Promise.resolve(`${ffprobe} is not installed`);
  return new Promise((done) => {
    const child = spawn(
      path,
      [
        ...['-v', 'error', ...LOCAL_MP4_ONLY],
        ...['-show_entries', 'packet=stream_index,dts,dts_time', '-of', 'csv=p=0', file],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true },
    );
    const latest = new Map<string, { dts: number; time: string }>();
    let behind = 0;
    let first = '';
    let packet = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      packet++;
      const [stream, dtsText, time] = line.split(',');
      const dts = Number(dtsText);
      if (stream === undefined || time === undefined || !dtsText || !Number.isFinite(dts)) return;
      const before = latest.get(stream);
      if (!before || dts > before.dts) {
        latest.set(stream, { dts, time });
        return;
      }
      behind++;
      if (!first)
        first = `stream ${stream}, packet ${packet}: decode time ${time} s, after ${before.time} s`;
    });
    child.on('error', () => done(null));
    child.on('close', () =>
      done(behind ? `${first}; ${behind} packet(s) not after the latest before them` : null),
    );
  });
}

/** 10. Every PDF of the payload is signed, each signature valid, the last over the whole file. */
export async function checkPdfs(ctx: VerifyContext, payload: readonly WalkedFile[]): Promise<void> {
  const { add, opts, report } = ctx;
  const pdfFiles = payload.filter((f) => extname(f.rel).toLowerCase() === '.pdf');
  const pdfsig = opts.pdfsig === undefined ? 'pdfsig' : opts.pdfsig;
  if (pdfFiles.length === 0) return;
  if (pdfsig === null) {
    add('warning', 'pdf-check-skipped', null, 'disabled');
    return;
  }
  for (const f of pdfFiles) {
    const rel = `data/${f.rel}`;
    const r = await runTool(pdfsig, [f.abs]);
    if (!r.found) {
      add('warning', 'pdf-check-skipped', null, `${pdfsig} is not installed`);
      break;
    }
    const out = r.stdout;
    if (/does not contain any signatures/.test(out)) {
      report.pdfs.push({ file: rel, signatures: 0, valid: false });
      add('warning', 'pdf-unsigned', rel);
      continue;
    }
    // One block per signature; earlier signatures of a multiply-signed PDF cover a
    // prefix (later signatures are incremental updates), but the last one must cover
    // the whole file, or something was appended after the final signature.
    const blocks = out.split(/^Signature #\d+:/m).slice(1);
    const results = blocks.map(
      (b) => /Signature Validation:\s*(.+)/.exec(b)?.[1]?.trim() ?? 'no validation result',
    );
    const valid = results.length > 0 && results.every((v) => /^Signature is Valid/i.test(v));
    const whole =
      blocks.length > 0 &&
      /Total document signed/.test(blocks.at(-1)!) &&
      !/Not total document signed/i.test(blocks.at(-1)!);
    report.pdfs.push({ file: rel, signatures: results.length, valid: valid && whole });
    if (!valid) {
      add(
        'error',
        'pdf-signature-invalid',
        rel,
        results.join('; ') || firstLines(r.stderr) || `pdfsig exit ${r.code}`,
      );
    } else if (!whole) {
      add(
        'error',
        'pdf-signature-invalid',
        rel,
        'the last signature does not cover the whole document (content was appended after signing)',
      );
    }
  }
}
