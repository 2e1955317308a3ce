/**
 * `attest demo --out DIR`: a complete sample case, sealed, for a new user to look at without
 * cameras. It opens a core on a fresh data directory and goes through the same
 * contract and services as the app: the case and its interview, synthetic media streamed into
 * the recorder, a several-page transcript signed page by page, across the seam and by two
 * officers, the signed PDF, the seal, and (unless `--no-replica`) a copy replicated to a
 * folder target and read back. The last line printed is the sealed bag's path.
 */
import { existsSync, promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCore } from '../core';
import { defaultResourcesDir, FONT_FILES } from '../platform/pdf/fonts';
import { removeTree } from '../platform/fs';
import type { VerifyOptions } from '../features/sealing';
import { connectInMemory } from '../transports/memory';
import { ffmpegVersion } from './media';
import { buildDemoSession } from './session';
import { fileDemoCase } from './case-flow';

export const DEMO_USAGE =
  'attest demo --out DIR [--kind interview|hearing|case] [--data-dir DIR] [--seconds N] [--no-replica] [--ffmpeg PATH]';
export const DEMO_SUMMARY =
  '生成演示案件 build and seal a sample case from synthetic media (needs ffmpeg)';

export interface DemoIo {
  out(text: string): void;
  err(text: string): void;
}

export interface DemoOptions {
  out: string;
  /** Default `<out>/data`; must be a fresh data directory. */
  dataDir?: string;
  /** Length of the synthetic recording (default 90 s). */
  seconds?: number;
  /** Replicate the bag to `<out>/replica` and wait until it is read back (default true). */
  replica?: boolean;
  ffmpeg?: string;
  /**
   * An interview (询问, default), a hearing (听证: the order, every participant signing, a
   * refusal, the report), or a whole case (an interview, then the approval form, the decision
   * issued with the seal and served, the filing act; the last line is the filed case's folder).
   */
  kind?: DemoKind;
  /** Options of the in-app verification (tests may turn slow tools off). */
  verify?: VerifyOptions;
}

export type DemoKind = 'interview' | 'hearing' | 'case';

export interface DemoResult {
  code: number;
  bundlePath?: string;
  dataDir?: string;
  /** For `--kind case`: the folder of the filed case. */
  caseFolder?: string;
}

function fontFile(): string | null {
  try {
    const f = join(defaultResourcesDir(), 'fonts', FONT_FILES.regular);
    return existsSync(f) ? f : null;
  } catch {
    return null;
  }
}

/** Runs the demonstration; never throws for expected failures (it says why and returns 1). */
export async function runDemo(o: DemoOptions, io: DemoIo): Promise<DemoResult> {
  const ffmpeg = o.ffmpeg ?? 'ffmpeg';
  if (!(await ffmpegVersion(ffmpeg))) {
    io.err(
      `attest demo: 找不到 ffmpeg。ffmpeg was not found (tried "${ffmpeg}"). The demo makes its ` +
        'sample media with ffmpeg: install it (Debian/Ubuntu: apt-get install ffmpeg; Windows: ' +
        'put ffmpeg.exe on PATH) or pass --ffmpeg PATH.\n',
    );
    return { code: 1 };
  }
  const out = resolve(o.out);
  const dataDir = resolve(o.dataDir ?? join(out, 'data'));
  if (existsSync(join(dataDir, 'attest.db'))) {
    io.err(
      `attest demo: ${dataDir} already holds a case store. The demo sets up its own accounts, ` +
        'so it needs a fresh data directory: choose another --out or --data-dir.\n',
    );
    return { code: 1 };
  }
  await fsp.mkdir(out, { recursive: true });
  const seconds = o.seconds ?? 90;
  // A scripted clock: the session lasts as long as its media, whatever this machine's speed.
  let t = Date.now();
  const lines: string[] = [];
  const core = openCore({
    dataDir,
    now: () => t,
    log: (l) => lines.push(l),
    ...(o.verify ? { sealing: { verify: o.verify } } : {}),
  });
  const desk = connectInMemory(core);
  const tablet = connectInMemory(core);
  const admin = connectInMemory(core);
  const work = join(out, `.demo-media-${process.pid}`);
  const say = (line: string) => io.err(`attest demo: ${line}\n`);
  try {
    const demo = await buildDemoSession({
      desk,
      tablet,
      workDir: work,
      seconds,
      now: () => t,
      advance: (ms) => {
        t += ms;
      },
      fontFile: fontFile(),
      ffmpeg,
      say,
      ...(o.kind === 'hearing' ? { kind: 'hearing' as const } : {}),
    });
    await admin.invoke('auth.signIn', demo.accounts.admin);
    const replica = join(out, 'replica');
    if (o.replica !== false) {
      await fsp.mkdir(replica, { recursive: true });
      await admin.invoke('storage.targets.create', {
        kind: 'folder',
        name: '演示副本 demo replica',
        config: { path: replica },
      });
    }
    say('sealing…');
    t += 120_000;
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    say('verifying…');
    const verified = await desk.invoke('bundles.verify', { bundleId: bundle.id });
    let stored: string | null = null;
    if (o.replica !== false) {
      say('replicating to the demo replica…');
      const deadline = Date.now() + 120_000;
      for (;;) {
        const status = await desk.invoke('replication.status', { sessionId: demo.sessionId });
        const job = status.jobs[0];
        if (job?.state === 'stored') {
          stored = join(replica, bundle.bagId);
          break;
        }
        if (Date.now() > deadline) {
          say(`the replica is not stored yet: ${job?.lastError ?? job?.state ?? 'no job'}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    let filed: { folder: string; lines: string[] } | null = null;
    if (o.kind === 'case') {
      const c = await fileDemoCase({
        demo,
        connect: () => connectInMemory(core),
        now: () => t,
        advance: (ms) => {
          t += ms;
        },
        say,
      });
      const folder = join(dataDir, 'case-files', String(demo.caseId));
      filed = {
        folder,
        lines: [
          `决定书 decision: ${c.decision.title} ${c.decision.docNo ?? ''} (SHA-256 ${c.decision.sha256})`,
          `送达 service: ${c.decision.services.map((s) => `${s.recipient} ${s.proof.proven ? '已送达 proven' : '待证明 unproven'}`).join(', ')}`,
          `归档 filed: ${c.filing.filing ? new Date(c.filing.filing.filedAt).toISOString() : '—'} (卷内目录 table of contents SHA-256 ${c.filing.filing?.pdfSha256 ?? '—'})`,
          `法制审核 legal reviewer: ${c.reviewer.username} / ${c.reviewer.password}`,
        ],
      };
    }
    const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en')} KiB`;
    io.out(
      [
        `案件 case: ${demo.caseNo} (${demo.kind === 'hearing' ? '听证 hearing' : '询问 interview'}, ${seconds} s, ${demo.pageCount} pages signed)`,
        `数据目录 data directory: ${dataDir}`,
        `账户 accounts: ${demo.accounts.admin.username} / ${demo.accounts.admin.password} (admin), ` +
          `${demo.accounts.officer.username} / ${demo.accounts.officer.password} (officer), ` +
          `${demo.accounts.officer2.username} / ${demo.accounts.officer2.password} (officer), ` +
          `${demo.accounts.leader.username} / ${demo.accounts.leader.password} (leader), ` +
          `${demo.accounts.clerk.username} / ${demo.accounts.clerk.password} (clerk)` +
          (demo.accounts.moderator
            ? `, ${demo.accounts.moderator.username} / ${demo.accounts.moderator.password} (moderator)`
            : ''),
        `载荷 payload: ${bundle.payloadFiles} files, ${kb(bundle.payloadBytes)}`,
        `签名 signer: ${bundle.signer.subject} (SHA-256 ${bundle.signer.fingerprintSha256})`,
        `标签清单 tag manifest SHA-512: ${bundle.tagManifestSha512}`,
        `核验 verification: ${verified.ok ? '通过 passed' : '未通过 FAILED'} (${verified.errors} errors, ${verified.warnings} warnings)`,
        ...(stored ? [`副本 replica (read back and verified): ${stored}`] : []),
        `核验命令 check it yourself: attest verify "${bundle.path}"`,
        ...(filed ? [...filed.lines, filed.folder] : [bundle.path]),
        '',
      ].join('\n'),
    );
    return {
      code: verified.ok ? 0 : 1,
      bundlePath: bundle.path,
      dataDir,
      ...(filed ? { caseFolder: filed.folder } : {}),
    };
  } catch (e) {
    io.err(
      `attest demo: ${e instanceof Error ? e.message : String(e)}\n` +
        (lines.length ? `core log:\n${lines.join('\n')}\n` : ''),
    );
    return { code: 1 };
  } finally {
    desk.close();
    tablet.close();
    admin.close();
    core.close();
    await removeTree(work).catch(() => undefined);
  }
}

/** The command line: parses the arguments and runs {@link runDemo}. Exit 0, 1 failed, 2 usage. */
export async function demoCommand(argv: readonly string[], io: DemoIo): Promise<number> {
  let values: {
    out?: string;
    'data-dir'?: string;
    seconds?: string;
    'no-replica'?: boolean;
    ffmpeg?: string;
    kind?: string;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        'data-dir': { type: 'string' },
        seconds: { type: 'string' },
        'no-replica': { type: 'boolean' },
        ffmpeg: { type: 'string' },
        kind: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.err(`attest demo: ${(e as Error).message}\n用法 usage: ${DEMO_USAGE}\n`);
    return 2;
  }
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (values.kind !== undefined && !['interview', 'hearing', 'case'].includes(values.kind)) {
    io.err(`attest demo: --kind is interview, hearing or case\n用法 usage: ${DEMO_USAGE}\n`);
    return 2;
  }
  if (
    !values.out ||
    (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 5 && seconds <= 3600))
  ) {
    io.err(
      `attest demo: ${values.out ? '--seconds must be a whole number from 5 to 3600' : '--out DIR is required'}\n用法 usage: ${DEMO_USAGE}\n`,
    );
    return 2;
  }
  const result = await runDemo(
    {
      out: values.out,
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(seconds !== undefined ? { seconds } : {}),
      ...(values['no-replica'] ? { replica: false } : {}),
      ...(values.ffmpeg ? { ffmpeg: values.ffmpeg } : {}),
      ...(values.kind ? { kind: values.kind as DemoKind } : {}),
    },
    io,
  );
  return result.code;
}
