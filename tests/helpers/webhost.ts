import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const WEB_ENTRY = join(ROOT, 'out/main/web.js');

export interface RunningHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the host printed, for failure messages. */
  output(): string;
  stop(): Promise<number | null>;
}

export function freshDataDir(prefix = 'attest-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Starts the built web host (`node out/main/web.js`) on a free port with a data directory
 * (a fresh one by default) and resolves once it prints its URL. Requires `npm run build`.
 */
export async function startWebHost(
  opts: {
    dataDir?: string;
    lanTablet?: boolean;
    lanLive?: boolean;
    segmentSeconds?: number;
    /** More of the environment (a relay's address, fingerprint and secret). */
    env?: Record<string, string>;
  } = {},
): Promise<RunningHost> {
  if (!existsSync(WEB_ENTRY)) throw new Error(`${WEB_ENTRY} is missing: run npm run build first`);
  const dataDir = opts.dataDir ?? freshDataDir();
  // The LAN signing tablet on loopback, a free port (the tests' "LAN").
  const lan = opts.lanTablet ? ['--lan-port', '0', '--lan-host', '127.0.0.1'] : [];
  // The live room's pages on the same "LAN".
  if (opts.lanLive) lan.push('--lan-live-port', '0', '--lan-host', '127.0.0.1');
  if (opts.segmentSeconds !== undefined) lan.push('--segment-seconds', String(opts.segmentSeconds));
  const child = spawn(process.execPath, [WEB_ENTRY, '--port', '0', '--data-dir', dataDir, ...lan], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
  });
  let out = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<number | null>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop(child.exitCode);
        child.once('exit', (code) => resolveStop(code));
        child.kill('SIGTERM');
      }),
  };
}

/** The `attest` command (its shim runs the built CLI, out/main/cli.js). */
export const CLI_ENTRY = join(ROOT, 'bin/attest.js');

export interface RunningRelay {
  url: string;
  fingerprint: string;
  secret: string;
  /** The relay's process (for its CPU in benchmarks). */
  pid: number | undefined;
  stop(): Promise<number | null>;
}

/**
 * Starts `attest relay` (the built CLI) on loopback and resolves with the address and the
 * certificate fingerprint it prints. Requires `npm run build`.
 */
export async function startRelay(secret = 'the centre relay secret 2026'): Promise<RunningRelay> {
  const dataDir = freshDataDir('attest-relay-');
  const child = spawn(
    process.execPath,
    [CLI_ENTRY, 'relay', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ATTEST_RELAY_SECRET: secret, ATTEST_LIVE_PORTS: '42000-42999' },
    },
  );
  let out = '';
  const found = await new Promise<{ url: string; fingerprint: string }>((resolveIt, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /^relay: (wss:\/\/\S+)$/m.exec(out)?.[1];
      const fingerprint = /^fingerprint: (\S+)$/m.exec(out)?.[1];
      if (url && fingerprint) {
        clearTimeout(timer);
        resolveIt({ url, fingerprint });
      }
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${out}`));
    });
  });
  return {
    ...found,
    secret,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
