/**
 * An agency's time-stamping authority, named in ATTEST_TSA_URL, time-stamps every seal: the
 * token lies beside the signature in the bag and the verifier checks it. A real TSA cannot
 * be reached here; `openssl ts -reply` answers on loopback instead.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBag } from '../../../electron/core/features/sealing';
import { TIMESTAMP_FILE } from '../../../electron/core/platform/bagit/bagit';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { startTsa, type TestTsa } from '../../helpers/servers/tsa';

describe('a time-stamping authority from the environment', () => {
  let tsa: TestTsa;
  let env: SealEnv;
  const before = process.env.ATTEST_TSA_URL;

  beforeAll(async () => {
    tsa = await startTsa();
    process.env.ATTEST_TSA_URL = tsa.url;
    env = sealEnv();
  }, 60_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.ATTEST_TSA_URL;
    else process.env.ATTEST_TSA_URL = before;
    await env?.dispose();
    await tsa?.close();
  });

  it('time-stamps the seal, and the bag verifies with the token', async () => {
    const { desk, demo } = await readySession(env, 4);
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    expect(tsa.requests).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(bundle.path, TIMESTAMP_FILE))).toBe(true);
    const report = await verifyBag(bundle.path, {
      tsaTrustAnchors: [Buffer.from(new X509Certificate(tsa.caPem).raw)],
      ffprobe: null,
      pdfsig: null,
    });
    expect(report.timestamp).toMatchObject({ valid: true });
    expect(report.timestamp?.genTime).toBeTruthy();
  }, 120_000);
});
