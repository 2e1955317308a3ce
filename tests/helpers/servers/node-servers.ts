/**
 * WebDAV (npm webdav-server) and S3 (npm s3rver) servers on 127.0.0.1, each in its own
 * child process over a temporary directory, so tests can SIGKILL them mid-upload and start
 * them again on the same port and data.
 */
import { mkdtempSync, promises as fsp } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOPBACK, freePort, killTree, spawnReady, waitForPort } from './process';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface TestServer {
  url: string;
  port: number;
  /** Where the server keeps what it stores. */
  dir: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function startScript(
  script: string,
  extra: (port: number, dir: string) => string[],
  url: (port: number) => string,
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'attest-srv-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = await spawnReady(
      process.execPath,
      [join(here, script), String(port), dir, ...extra(port, dir)],
      /listening/,
    );
    await waitForPort(port);
  };
  await start();
  return {
    url: url(port),
    port,
    dir,
    async kill() {
      if (child) await killTree(child);
      child = null;
    },
    async restart() {
      if (child) await killTree(child);
      await start();
    },
    async stop() {
      if (child) await killTree(child);
      child = null;
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

export const WEBDAV_USER = 'attest';
export const WEBDAV_PASSWORD = 'dav-test-password-1';

export function startWebDav(): Promise<TestServer> {
  return startScript(
    'webdav-server.mjs',
    () => [WEBDAV_USER, WEBDAV_PASSWORD],
    (p) => `http://${LOOPBACK}:${p}`,
  );
}

export const S3_BUCKET = 'attest';
/** s3rver's fixed credentials. */
export const S3_KEYS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = Object.freeze({
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
});

export function startS3(): Promise<TestServer> {
  return startScript(
    's3rver.mjs',
    () => [S3_BUCKET],
    (p) => `http://${LOOPBACK}:${p}`,
  );
}
