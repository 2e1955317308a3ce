/**
 * `attest disc`: the command-line face of the disc workflow, plugged into the CLI's command
 * table (electron/cli/index.ts) as
 * `disc: { usage: DISC_USAGE, summary: DISC_SUMMARY, run: (args, { io }) => discCommand(args, io) }`.
 *
 *   attest disc image BUNDLE... --out FILE.iso [--label NAME] [--medium cd|dvd|dvd-dl|bd|bd-dl]
 *   attest disc verify (--image FILE.iso | --device DEV | --dir PATH) [--json] [--lang zh-CN|en]
 *
 * `image` builds one disc image of the given sealed bundles (refusing when a medium is named
 * and they do not fit on one disc of it), then reads the image back and checks it exactly as
 * a burned disc is checked. `verify` checks an image, a disc in a drive, or a mounted disc.
 * Both exit 0 when every file matches, 1 on any mismatch or failure, 2 for bad arguments.
 */
import { mkdtempSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MEDIA, MEDIUM_IDS, planDiscs, type MediumId } from '../shared/rules/disc-plan';
import { isoInZone } from '../shared/time';
import { VERSION } from '../core/version';
import { machineTimeZone } from '../core/features/app/settings';
import { reportLanguage, type ReportLanguage } from './lang';
import {
  buildDiscImage,
  placementOf,
  readSourceBundle,
  type SourceBundle,
} from '../core/features/discs/layout';
import { formatDiscReport, verifyDisc, type DiscSource } from '../core/features/discs/disc-verify';
import { safeVolumeId } from '../core/platform/optical/xorriso';

export const DISC_USAGE =
  'attest disc image BUNDLE... --out FILE.iso [--label NAME] [--medium cd|dvd|dvd-dl|bd|bd-dl] [--made-by NAME] | attest disc verify (--image FILE.iso | --device DEV | --dir PATH) [--json] [--lang zh-CN|en]';
export const DISC_SUMMARY =
  '制作与核验证据光盘 make an evidence disc image, or check a disc or image against its manifests';

export interface DiscIo {
  out(text: string): void;
  err(text: string): void;
}

const defaultIo: DiscIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

class Usage extends Error {}

/** The report's language; a `--lang` that names none is a usage error. */
function lang(v: string | undefined): ReportLanguage {
  try {
    return reportLanguage(v);
  } catch (e) {
    throw new Usage((e as Error).message);
  }
}

/** Progress on stderr, one line per 5 %, so a log stays readable. */
function progress(io: DiscIo, what: string): (fraction: number) => void {
  let last = -1;
  return (f) => {
    const pct = Math.floor(f * 20) * 5;
    if (pct > last) {
      last = pct;
      io.err(`${what} ${pct}%\n`);
    }
  };
}

async function image(argv: string[], io: DiscIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      label: { type: 'string' },
      medium: { type: 'string' },
      'made-by': { type: 'string' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const reportLang = lang(values.lang);
  if (!values.out || positionals.length === 0)
    throw new Usage('give one or more BUNDLE directories and --out FILE.iso');
  const medium = values.medium as MediumId | undefined;
  if (medium !== undefined && !(MEDIUM_IDS as readonly string[]).includes(medium))
    throw new Usage(`--medium is one of ${MEDIUM_IDS.join(', ')}`);
  const out = resolve(values.out);
  if (await fsp.stat(out).catch(() => null)) {
    io.err(`attest disc: ${out} exists; an image is never overwritten\n`);
    return 1;
  }
  const sources = new Map<string, SourceBundle>();
  for (const p of positionals) {
    const name = basename(resolve(p));
    if (sources.has(name)) throw new Usage(`two bundles are named ${name}`);
    sources.set(name, await readSourceBundle(resolve(p), name));
  }
  const plan = planDiscs([...sources.values()], medium ?? 'bd-dl', 1);
  if (plan.refused) {
    io.err(
      `attest disc: ${plan.refused.code === 'file-too-large' ? `${plan.refused.bundle}/${plan.refused.file} (${plan.refused.bytes} bytes) is larger than a disc` : `${plan.refused.bundle} is given twice`}\n`,
    );
    return 1;
  }
  let disc = plan.discs[0]!;
  if (!medium) {
    // No medium named: everything on one image, whatever its size.
    disc = {
      number: 1,
      bundles: [...sources.values()].map((b) => ({
        name: b.name,
        part: null,
        files: b.files.map((f) => f.path).sort(),
        bytes: b.files.reduce((a, f) => a + f.bytes, 0),
      })),
      sectors: 0,
      bytes: 0,
      fill: 0,
    };
  } else if (plan.discs.length > 1) {
    io.err(
      `attest disc: the bundles need ${plan.discs.length} discs of ${MEDIA[medium].label} (${plan.warnings.some((w) => w.code === 'bundle-split') ? 'a bundle would be split' : 'one disc each'}); image fewer bundles at a time, or use the clerk's view, which splits them\n`,
    );
    return 1;
  }
  const firstInfo = [...sources.values()][0]!.info;
  const now = Date.now();
  // The bundles' own zone (the agency's when they were sealed), so the disc's times read as theirs.
  const tz = firstInfo['Time-Zone']?.[0] ?? machineTimeZone();
  const setNo = values.label ?? `CLI-${isoInZone(now, tz).slice(0, 10).replace(/-/g, '')}`;
  const stage = mkdtempSync(resolve(tmpdir(), 'attest-disc-stage-'));
  try {
    const built = await buildDiscImage({
      disc,
      discCount: 1,
      sources,
      placement: placementOf([disc]),
      texts: {
        setNo,
        volumeId: safeVolumeId(values.label ?? `ATTEST_${setNo}`),
        medium: medium ?? null,
        caseNo: firstInfo['Case-Number']?.[0] ?? null,
        cause: firstInfo['Case-Cause']?.[0] ?? null,
        madeAt: isoInZone(now, tz),
        timeZone: tz,
        madeBy: values['made-by'] ?? process.env.USER ?? process.env.USERNAME ?? null,
        software: `Attest ${VERSION} (attest disc image)`,
        purpose: null,
      },
      out,
      stageDir: stage,
      ...(medium ? { maxSectors: MEDIA[medium].sectors } : {}),
      onProgress: progress(io, '映像 image'),
    });
    io.err(`${built.path}: ${built.bytes} bytes, ${built.isoSectors} blocks\n`);
    const report = await verifyDisc(
      { kind: 'iso', path: out },
      { expectedIndexSha256: built.indexSha256 },
    );
    io.out(
      values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDiscReport(report, reportLang),
    );
    return report.ok ? 0 : 1;
  } finally {
    await fsp.rm(stage, { recursive: true, force: true });
  }
}

async function verify(argv: string[], io: DiscIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      image: { type: 'string' },
      device: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const reportLang = lang(values.lang);
  const given = [values.image, values.device, values.dir].filter((v) => v !== undefined);
  if (given.length !== 1 || positionals.length > 0)
    throw new Usage('give exactly one of --image, --device or --dir');
  const source: DiscSource = values.dir
    ? { kind: 'directory', path: resolve(values.dir) }
    : { kind: 'iso', path: values.image ? resolve(values.image) : values.device! };
  const report = await verifyDisc(source);
  io.out(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDiscReport(report, reportLang),
  );
  return report.ok ? 0 : 1;
}

/** Runs `attest disc ...` (the arguments after `disc`); returns the exit code. */
export async function discCommand(
  argv: readonly string[],
  io: DiscIo = defaultIo,
): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'image') return await image(rest, io);
    if (sub === 'verify') return await verify(rest, io);
    throw new Usage(sub ? `unknown subcommand ${sub}` : 'image or verify?');
  } catch (e) {
    if (e instanceof Usage || (e as NodeJS.ErrnoException).code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.err(`attest disc: ${(e as Error).message}\nusage: ${DISC_USAGE}\n`);
      return 2;
    }
    io.err(`attest disc: ${(e as Error).message}\n`);
    return 1;
  }
}
