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
    // The session is played on a clock that starts hours ago, so it ends before the TSA's now.
    env = sealEnv({ start: Date.now() - 6 * 3600_000 });
  }, 60_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.ATTEST_TSA_URL;
    else process.env.ATTEST_TSA_URL = before;
    await env?.dispose();
    await tsa?.close();
  });

  it('time-stamps the seal, and the bag verifies with the token', async () => {
    const { desk, demo } = await readySession(env, 4);
    // The seal panel names the authority it will ask.
    expect(
      (await desk.invoke('sessions.sealCheck', { id: demo.sessionId })).timeStampAuthority,
    ).toBe(tsa.url);
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
    expect(report.checks.timestamp).toBe('pass');
  }, 120_000);

  it('finds a workstation clock that ran ahead: the trusted time is before the recorded end', async () => {
    // This workstation's clock is a day fast; the TSA's is right.
    const fast = sealEnv({ start: Date.now() + 24 * 3600_000 });
    try {
      const { desk, demo } = await readySession(fast, 4);
      const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
      const report = await verifyBag(bundle.path, {
        tsaTrustAnchors: [Buffer.from(new X509Certificate(tsa.caPem).raw)],
        expectTagManifests: [bundle.tagManifestSha512],
        ffprobe: null,
        pdfsig: null,
      });
      expect(report.verdict).toBe('failed');
      expect(report.problems.map((p) => p.code)).toContain('timestamp-before-recording');
    } finally {
      await fast.dispose();
    }
  }, 120_000);
});
