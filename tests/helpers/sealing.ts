/**
 * A core on a fresh data directory with a scripted clock, and a session ready to seal built
 * through the contract by the demo's builder: synthetic media streamed into the recorder, a
 * several-page transcript signed on the party's page and by two officers, the PDF rendered
 * and signed by electron/core/pdf with the data directory's own (test) identity.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type Core, type CoreOptions } from '../../electron/core';
import {
  buildDemoSession,
  type DemoBuildOptions,
  type DemoSession,
} from '../../electron/core/demo/session';
import { defaultResourcesDir, FONT_FILES } from '../../electron/core/platform/pdf/fonts';
import { removeTree } from '../../electron/core/platform/fs';
import { connectInMemory } from '../../electron/core/transports/memory';
import { loadOrCreateIdentity } from '../../electron/core/platform/pki';
import { freshDataDir } from './webhost';
import type { Client } from '../../electron/shared/client';

export function haveTool(cmd: string, args = ['-version']): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export const HAVE_FFMPEG = haveTool('ffmpeg') && haveTool('ffprobe');

export interface SealEnv {
  core: Core;
  dataDir: string;
  log: string[];
  now(): number;
  advance(ms: number): void;
  /** A fresh client on the core (not signed in). */
  connect(): Client;
  /** Closes the clients and the core; removes the data directory (sealed bags are read-only). */
  dispose(): Promise<void>;
}

/** A core with a controllable clock on a fresh directory; sealing options pass through. */
export function sealEnv(
  opts: {
    start?: number;
    sealing?: CoreOptions['sealing'];
    dataDir?: string;
    lanLive?: CoreOptions['lanLive'];
    relay?: CoreOptions['relay'];
  } = {},
): SealEnv {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'attest-sealing-'));
  let t = opts.start ?? Date.now();
  const log: string[] = [];
  const core = openCore({
    dataDir,
    now: () => t,
    log: (l) => log.push(l),
    ...(opts.sealing ? { sealing: opts.sealing } : {}),
    ...(opts.lanLive ? { lanLive: opts.lanLive } : {}),
    ...(opts.relay ? { relay: opts.relay } : {}),
  });
  const clients: Client[] = [];
  return {
    core,
    dataDir,
    log,
    now: () => t,
    advance(ms) {
      t += ms;
    },
    connect() {
      const c = connectInMemory(core);
      clients.push(c);
      return c;
    },
    async dispose() {
      for (const c of clients) c.close();
      core.close();
      // An aborted upload and the identity's first writing settle before the folder goes.
      await core.settled();
      await removeTree(dataDir).catch(() => undefined);
    },
  };
}

export function captionFont(): string | null {
  try {
    return join(defaultResourcesDir(), 'fonts', FONT_FILES.regular);
  } catch {
    return null;
  }
}

/**
 * The demo's builder on a desk and a tablet connection, its synthetic media made in a
 * scratch folder that is removed afterwards.
 */
async function buildDemo(
  desk: Client,
  tablet: Client,
  clock: { now: () => number; advance: (ms: number) => void },
  seconds: number,
  timeZone?: string,
  more: Pick<DemoBuildOptions, 'kind' | 'stopAfter' | 'omitSteps' | 'ladderStep'> = {},
): Promise<DemoSession> {
  const work = mkdtempSync(join(tmpdir(), 'attest-demo-media-'));
  try {
    return await buildDemoSession({
      desk,
      tablet,
      workDir: work,
      seconds,
      now: clock.now,
      advance: clock.advance,
      fontFile: captionFont(),
      ...(timeZone ? { timeZone } : {}),
      ...more,
    });
  } finally {
    await removeTree(work).catch(() => undefined);
  }
}

/** Builds the demo session on `env` (desk signed in as the demo officer afterwards). */
export async function readySession(
  env: SealEnv,
  seconds = 6,
  timeZone?: string,
  more: Pick<DemoBuildOptions, 'kind' | 'stopAfter' | 'omitSteps' | 'ladderStep'> = {},
): Promise<{ desk: Client; tablet: Client; admin: Client; demo: DemoSession }> {
  const desk = env.connect();
  const tablet = env.connect();
  const demo = await buildDemo(desk, tablet, env, seconds, timeZone, more);
  const admin = env.connect();
  await admin.invoke('auth.signIn', demo.accounts.admin);
  return { desk, tablet, admin, demo };
}

/**
 * A fresh data directory holding an ended, signed interview made by the demo's builder
 * through the real core, its clock started `hoursAgo` ago (the workstation identity is made
 * for that clock too, so the record's signing time lies inside its validity). `prefix`
 * names the directory; the caller removes it.
 */
export async function signedDemoSession(
  prefix: string,
  hoursAgo: number,
  seconds: number,
  /** A hearing, or stop before the signing (a test signs in the app). */
  more: Pick<DemoBuildOptions, 'kind' | 'stopAfter'> = {},
): Promise<{ dataDir: string; demo: DemoSession }> {
  const dataDir = freshDataDir(prefix);
  let t = Date.now() - hoursAgo * 3600_000;
  await loadOrCreateIdentity(join(dataDir, 'identity'), { now: () => new Date(t) });
  const core = openCore({ dataDir, now: () => t, log: () => undefined });
  const desk = connectInMemory(core);
  const tablet = connectInMemory(core);
  try {
    const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
    return { dataDir, demo: await buildDemo(desk, tablet, clock, seconds, undefined, more) };
  } finally {
    desk.close();
    tablet.close();
    core.close();
    await core.settled();
  }
}
