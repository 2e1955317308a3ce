/**
 * The time-stamping authority set on the trust screen (not only in ATTEST_TSA_URL): every
 * seal after it is stamped by it; clearing it falls back to the environment's, or to none,
 * and the seal panel warns. A real TSA cannot be reached here; `openssl ts -reply` answers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMESTAMP_FILE } from '../../../electron/core/platform/bagit/bagit';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { startTsa, type TestTsa } from '../../helpers/servers/tsa';

describe('the time-stamping authority in the trust settings', () => {
  let tsa: TestTsa;
  let env: SealEnv;
  const before = process.env.ATTEST_TSA_URL;

  beforeAll(async () => {
    delete process.env.ATTEST_TSA_URL;
    tsa = await startTsa();
    env = sealEnv({ start: Date.now() - 6 * 3600_000 });
  }, 60_000);
  afterAll(async () => {
    if (before !== undefined) process.env.ATTEST_TSA_URL = before;
    await env?.dispose();
    await tsa?.close();
  });

  it('is set by the administrator, audited, and stamps the next seal', async () => {
    const { desk, admin, demo } = await readySession(env, 4);
    expect((await admin.invoke('trust.status', {})).timeStampAuthority).toBeNull();
    expect(
      (await desk.invoke('sessions.sealCheck', { id: demo.sessionId })).timeStampAuthority,
    ).toBeNull();
    await expect(
      desk.invoke('trust.setTimeStampAuthority', { url: tsa.url }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      admin.invoke('trust.setTimeStampAuthority', { url: 'ftp://tsa.example' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await admin.invoke('trust.setTimeStampAuthority', { url: tsa.url })).toEqual({
      url: tsa.url,
      from: 'settings',
    });
    expect(
      (await desk.invoke('sessions.sealCheck', { id: demo.sessionId })).timeStampAuthority,
    ).toBe(tsa.url);
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    expect(tsa.requests).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(bundle.path, TIMESTAMP_FILE))).toBe(true);

    expect(await admin.invoke('trust.setTimeStampAuthority', { url: null })).toBeNull();
    const audit = await admin.invoke('audit.list', { entity: 'trust', limit: 10 });
    expect(
      audit.filter((e) => e.action === 'trust.timeStampAuthoritySet').map((e) => e.data),
    ).toEqual([{ url: null }, { url: tsa.url }]);
  }, 120_000);
});
