/**
 * The deep media check (`attest verify --deep`) on camera files made as the renderer makes
 * them (tests/helpers/media.ts capturedVideo: H.264 High, mediabunny's fragmented output,
 * capture times at a variable frame rate), sealed into a bag and verified with real ffmpeg:
 * - a clean recording verifies clean, although ffmpeg's null output at its default time
 *   base (one over the average frame rate) calls its frame times non-monotonic;
 * - a copy whose decode times go back (one fragment's tfdt set to the one before it, so
 *   its samples overlap the earlier fragment) is reported, although ffmpeg decodes it
 *   without a word (its demuxer discards those samples and their frames are lost).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealBag, verifyBag, type VerifyReport } from '../../../electron/core/features/sealing';
import { capturedVideo, topBoxes } from '../../helpers/media';
import { removeTempDirs, sampleSession, tempDir } from '../platform/bagit/fixtures';

afterAll(removeTempDirs);

/** Every packet's decode time (ticks) of the file's first stream, in file order. */
function decodeTimes(file: string): number[] {
  return execFileSync('ffprobe', [
    ...['-v', 'error', '-select_streams', '0', '-show_entries', 'packet=dts'],
    ...['-of', 'csv=p=0', file],
  ])
    .toString()
    .trim()
    .split('\n')
    .map(Number);
}

/** What `ffmpeg -v error` prints while decoding the file to the null output with `args`. */
function nullDecode(file: string, args: string[] = []): string {
  return spawnSync('ffmpeg', [
    '-v',
    'error',
    '-i',
    file,
    ...args,
    '-f',
    'null',
    '-',
  ]).stderr.toString();
}

function backwardSteps(times: number[]): number {
  return times.filter((t, i) => i > 0 && t <= times[i - 1]!).length;
}

/** A copy whose `fragment`-th fragment (1-based) starts at the decode time of the one before. */
function rewindFragment(src: string, dst: string, fragment: number): void {
  const bytes = new Uint8Array(readFileSync(src));
  const v = new DataView(bytes.buffer);
  const tfdts: { at: number; version: number }[] = [];
  for (const moof of topBoxes(bytes).filter((b) => b.type === 'moof')) {
    for (let at = moof.start + 8; at < moof.start + moof.size; at += v.getUint32(at)) {
      if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) !== 'traf') continue;
      for (let c = at + 8; c < at + v.getUint32(at); c += v.getUint32(c)) {
        if (String.fromCharCode(...bytes.subarray(c + 4, c + 8)) === 'tfdt')
          tfdts.push({ at: c + 12, version: bytes[c + 8]! });
      }
    }
  }
  const get = (t: { at: number; version: number }) =>
    t.version === 1 ? v.getBigUint64(t.at) : BigInt(v.getUint32(t.at));
  const [prev, cur] = [tfdts[fragment - 2]!, tfdts[fragment - 1]!];
  if (cur.version === 1) v.setBigUint64(cur.at, get(prev));
  else v.setUint32(cur.at, Number(get(prev)));
  writeFileSync(dst, bytes);
}

function mediaProblems(r: VerifyReport): string[] {
  return r.problems
    .filter((p) => p.code.startsWith('media-'))
    .map((p) => `${p.severity} ${p.code} ${p.file ?? ''}`);
}

describe('the deep media check on recorded camera files', () => {
  let clean: string;
  let rewound: string;
  let report: VerifyReport;

  beforeAll(async () => {
    const work = tempDir('attest-deep-');
    clean = join(work, 'cam1-001.mp4');
    rewound = join(work, 'cam2-001.mp4');
    await capturedVideo(clean, 20);
    rewindFragment(clean, rewound, 10);
    const s = await sampleSession(tempDir('attest-archive-'), {
      extraFiles: [
        { path: clean, name: 'media/cam1-001.mp4' },
        { path: rewound, name: 'media/cam2-001.mp4' },
      ],
    });
    const bag = await sealBag(s.options);
    report = await verifyBag(bag.path, {
      expectTagManifests: [bag.tagManifestSha512],
      pdfsig: null,
      deepMediaCheck: {},
    });
  }, 60_000);

  it('finds a variable-rate recording clean that a constant-rate decode misreports', () => {
    // The file's own decode times increase strictly, with no composition offsets.
    expect(backwardSteps(decodeTimes(clean))).toBe(0);
    const probe = execFileSync('ffprobe', [
      ...['-v', 'error', '-show_entries', 'stream=profile,has_b_frames', '-of', 'csv=p=0', clean],
    ]).toString();
    expect(probe.trim()).toBe('High,0');
    // The fixture is one that fools ffmpeg's default null output, or it would prove nothing.
    expect(nullDecode(clean)).toContain('non monotonically increasing dts');
    expect(mediaProblems(report).filter((p) => p.includes('cam1-001'))).toEqual([]);
    expect(
      report.media.find((m) => m.file === 'data/media/cam1-001.mp4')?.durationSeconds,
    ).toBeCloseTo(20, 0);
  });

  it('reports a file whose decode times go back, which ffmpeg decodes silently', () => {
    expect(backwardSteps(decodeTimes(rewound))).toBe(1);
    expect(nullDecode(rewound, ['-enc_time_base', '-1'])).toBe('');
    expect(mediaProblems(report)).toEqual([
      'warning media-timestamps-out-of-order data/media/cam2-001.mp4',
    ]);
    const detail = report.problems.find((p) => p.code === 'media-timestamps-out-of-order')!.detail;
    // Every sample of the rewound fragment that is not past the fragment before it is
    // counted: the frames ffmpeg drops (packets read less frames decoded).
    const [, packet, at, after, count] =
      /^stream 0, packet (\d+): decode time ([\d.]+) s, after ([\d.]+) s; (\d+) packet/.exec(
        detail,
      ) ?? [];
    const times = decodeTimes(rewound);
    const back = times.findIndex((t, i) => i > 0 && t <= times[i - 1]!);
    expect(Number(packet)).toBe(back + 1);
    expect(Number(at)).toBeLessThan(Number(after));
    const [frames, packets] = execFileSync('ffprobe', [
      ...['-v', 'error', '-count_frames', '-count_packets', '-select_streams', '0'],
      ...['-show_entries', 'stream=nb_read_frames,nb_read_packets', '-of', 'csv=p=0', rewound],
    ])
      .toString()
      .trim()
      .split(',')
      .map(Number);
    expect(Number(count)).toBe(packets! - frames!);
    expect(Number(count)).toBeGreaterThan(10);
    expect(report.checks.media).toBe('warn');
    expect(report.ok).toBe(true);
  });
});
