/**
 * Replication in the running core, through the contract with a scripted clock: storage
 * targets are managed by admins only and never give a secret back (not in any reply, the
 * audit trail or the log); sealing queues a job on every enabled target, and a target added
 * later is given the bundles it lacks; the 24-hour deadline (R4.1) reads `ok`, `warn` within
 * 4 hours and `overdue` after, and a copy read back in time makes the bundle `ok` for good;
 * a probe tests a target; the queue stops with the core and resumes at the next start.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBag } from '../../../electron/core/features/sealing';
import { removeTree } from '../../../electron/core/platform/fs';
import { verifyDetachedCms } from '../../../electron/core/platform/pki/cms-verify';
import type { Client } from '../../../electron/shared/client';
import type { BundleDto } from '../../../electron/shared/api/sealing';
import type { ReplicationStatusDto } from '../../../electron/shared/api/storage';
import { makeAgencyCa } from '../../helpers/agencyCa';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';
import { sftpTargetInput } from '../../helpers/storageTargets';

const HOUR = 3600_000;
const SECRET = 'hunter2-Very-Secret-Password-9';
const KEY_SECRET = 'AKIA-sekrit-access-key-value-77';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('replication and storage targets', () => {
  let env: SealEnv;
  let desk: Client;
  let admin: Client;
  let sessionId: number;
  let bundle: BundleDto;
  const replies: unknown[] = [];
  const shared = mkdtempSync(join(tmpdir(), 'attest-share-'));
  const missing = join(shared, 'not-mounted', 'share');

  beforeAll(async () => {
    env = sealEnv({ sealing: { verify: { pdfsig: null }, storage: { pollMs: 40 } } });
    const ready = await readySession(env, 5);
    ({ desk, admin } = ready);
    sessionId = ready.demo.sessionId;
  }, 120_000);
  afterAll(async () => {
    await env.dispose();
    await removeTree(shared).catch(() => undefined);
  });

  const status = async (): Promise<ReplicationStatusDto> => {
    const s = await desk.invoke('replication.status', { sessionId });
    replies.push(s);
    return s;
  };

  it('lets only admins manage targets, and validates each kind strictly', async () => {
    await expect(desk.invoke('storage.targets.list', {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      desk.invoke('storage.targets.create', {
        kind: 'folder',
        name: 'x',
        config: { path: shared },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A password in the configuration (which is shown and logged) is refused.
    await expect(
      admin.invoke('storage.targets.create', {
        kind: 'webdav',
        name: 'dav',
        config: { url: 'http://127.0.0.1:1/dav', username: 'u', password: SECRET } as never,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      admin.invoke('storage.targets.create', {
        kind: 's3',
        name: 's3',
        config: { region: 'cn-north-1', bucket: 'evidence' },
        secret: { accessKeyId: 'k' } as never,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('creates targets whose secrets are never given back, logged or audited', async () => {
    // No OS keystore here (a core without the app's main process): a secret is stored only
    // once an administrator accepts plain storage, and that is on the audit trail.
    const sftpTarget = sftpTargetInput(SECRET);
    await expect(admin.invoke('storage.targets.create', sftpTarget)).rejects.toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('系统密钥库'),
    });
    expect(await admin.invoke('storage.targets.list', {})).toEqual([]);
    expect((await admin.invoke('trust.status', {})).keystore).toEqual({
      backend: null,
      plainAccepted: null,
    });
    await expect(
      desk.invoke('trust.acceptPlainSecrets', { reason: '本机为测试环境，无密钥库' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const accepted = await admin.invoke('trust.acceptPlainSecrets', {
      reason: '本机为测试环境，无密钥库',
    });
    expect(accepted.plainAccepted).toMatchObject({ reason: '本机为测试环境，无密钥库' });
    expect(
      (await admin.invoke('audit.list', { entity: 'trust' })).map((e) => [e.action, e.data]),
    ).toContainEqual(['trust.plainSecretsAccepted', { reason: '本机为测试环境，无密钥库' }]);
    const sftp = await admin.invoke('storage.targets.create', sftpTarget);
    replies.push(sftp);
    expect(sftp).toMatchObject({ kind: 'sftp', enabled: true, secretFields: ['password'] });
    const s3 = await admin.invoke('storage.targets.create', {
      kind: 's3',
      name: '对象存储',
      config: {
        endpoint: 'http://127.0.0.1:1',
        region: 'cn-north-1',
        bucket: 'evidence',
        forcePathStyle: true,
      },
      secret: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: KEY_SECRET },
    });
    replies.push(s3);
    expect(s3.secretFields).toEqual(['accessKeyId', 'secretAccessKey']);
    // A secret is replaced whole and stays write-only; the kind's rules apply to it.
    await expect(
      admin.invoke('storage.targets.update', { id: sftp.id, secret: { token: 'x' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const rotated = await admin.invoke('storage.targets.update', {
      id: sftp.id,
      name: '区局 SFTP（备）',
      secret: { password: `${SECRET}-2` },
    });
    replies.push(rotated);
    expect(rotated).toMatchObject({ name: '区局 SFTP（备）', secretFields: ['password'] });
    // Both stay disabled for now: nothing listens on port 1.
    replies.push(await admin.invoke('storage.targets.setEnabled', { id: sftp.id, enabled: false }));
    replies.push(await admin.invoke('storage.targets.setEnabled', { id: s3.id, enabled: false }));
    const listed = await admin.invoke('storage.targets.list', {});
    replies.push(listed);
    expect(listed.map((t) => [t.name, t.enabled])).toEqual([
      ['区局 SFTP（备）', false],
      ['对象存储', false],
    ]);
    // A refused rename changes nothing and leaves no entry; every change made has one.
    await expect(
      admin.invoke('storage.targets.update', { id: s3.id, name: '区局 SFTP（备）' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const trail = (await admin.invoke('audit.list', { entity: 'storage_target' })).map(
      (a) => `${a.action} ${a.entityId}`,
    );
    expect(trail.sort()).toEqual(
      [
        `storage.target_created ${sftp.id}`,
        `storage.target_created ${s3.id}`,
        `storage.target_updated ${sftp.id}`,
        `storage.target_disabled ${sftp.id}`,
        `storage.target_disabled ${s3.id}`,
      ].sort(),
    );
  });

  it('queues a sealed bundle for every enabled target with the deadline at end + 24 h', async () => {
    const folder = await admin.invoke('storage.targets.create', {
      kind: 'folder',
      name: '档案室 NAS',
      config: { path: missing },
    });
    env.advance(2 * HOUR);
    bundle = await desk.invoke('sessions.seal', { id: sessionId });
    const session = await desk.invoke('sessions.get', { id: sessionId });
    const deadline = session.endedAt! + 24 * HOUR;
    // The share is not mounted: the job waits and says why.
    const waiting = await until(status, (s) => s.jobs[0]?.lastError != null);
    expect(waiting.jobs).toHaveLength(1);
    expect(waiting.jobs[0]).toMatchObject({
      bundleId: bundle.id,
      sessionId,
      targetId: folder.id,
      targetName: '档案室 NAS',
      state: 'pending',
      attempts: 1,
      deadlineAt: deadline,
      deadlineStatus: 'ok',
      verifiedAt: null,
    });
    expect(waiting.bundles).toEqual([
      expect.objectContaining({
        bundleId: bundle.id,
        deadlineAt: deadline,
        deadlineStatus: 'ok',
        storedAt: null,
        targets: 1,
      }),
    ]);

    // 20 h after the end: within 4 h of the deadline, amber.
    env.advance(deadline - 4 * HOUR - env.now() + 60_000);
    let s = await status();
    expect(s.now).toBe(env.now());
    expect(s.jobs[0]!.deadlineStatus).toBe('warn');
    expect(s.bundles[0]!.deadlineStatus).toBe('warn');
    // Past the deadline, red.
    env.advance(4 * HOUR);
    s = await status();
    expect(s.jobs[0]!.deadlineStatus).toBe('overdue');
    expect(s.bundles[0]!.deadlineStatus).toBe('overdue');
  });

  it('stores a copy that reads back once the target works, and the lateness stays on record', async () => {
    // A second, working target added now is given the bundle it lacks, and beside it the
    // agency register and the audit trail's signed heads.
    const ca = makeAgencyCa(join(shared, 'ca'), '某市市场监督管理局 电子证据 CA');
    await admin.invoke('trust.addToRegister', { kind: 'ca', certificatePem: ca.certPem });
    const register = (await admin.invoke('trust.registerFile', {}))!;
    const good = join(shared, 'good');
    mkdirSync(good);
    const target = await admin.invoke('storage.targets.create', {
      kind: 'folder',
      name: '市局存储',
      config: { path: good },
    });
    const stored = await until(status, (x) =>
      x.jobs.some((j) => j.targetId === target.id && j.state === 'stored'),
    );
    const job = stored.jobs.find((j) => j.targetId === target.id)!;
    expect(job).toMatchObject({ state: 'stored', lastError: null, deadlineStatus: 'overdue' });
    expect(job.verifiedAt).toBe(env.now());
    expect(stored.bundles[0]).toMatchObject({ storedAt: env.now(), deadlineStatus: 'overdue' });
    const copy = join(good, bundle.bagId);
    expect(existsSync(copy)).toBe(true);
    const companions = readdirSync(good).filter((n) => n.startsWith(`${bundle.bagId}.trust-`));
    expect(companions).toHaveLength(1);
    expect(companions[0]).toMatch(/\.trust-[0-9a-f]{16}$/);
    const beside = join(good, companions[0]!);
    expect(readFileSync(join(beside, 'agency-register.json'), 'utf8')).toBe(register.text);
    const anchors = readdirSync(join(beside, 'audit-anchors'));
    expect(anchors.filter((a) => a.endsWith('.json')).length).toBeGreaterThanOrEqual(1);
    for (const a of anchors.filter((n) => n.endsWith('.json'))) {
      const json = readFileSync(join(beside, 'audit-anchors', a));
      const sig = readFileSync(join(beside, 'audit-anchors', a.replace(/\.json$/, '.p7s')));
      expect((await verifyDetachedCms(sig, json)).signatureValid, a).toBe(true);
    }
    expect(
      (
        await verifyBag(copy, {
          expectTagManifests: [bundle.tagManifestSha512],
          pdfsig: null,
          ffprobe: null,
        })
      ).ok,
    ).toBe(true);
    const audit = await desk.invoke('audit.list', { entity: 'session', entityId: sessionId });
    expect(audit.find((a) => a.action === 'bundle.replicated')?.data).toMatchObject({
      bundleId: bundle.id,
      inTime: false,
    });
    // Moving a target that holds verified copies would make the record lie: refused.
    await expect(
      admin.invoke('storage.targets.update', { id: target.id, config: { path: shared } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const listed = await admin.invoke('storage.targets.list', {});
    expect(listed.find((t) => t.id === target.id)!.jobs).toEqual({ pending: 0, stored: 1 });
  });

  it('tests a target with a probe that is read back and taken away', async () => {
    const listed = await admin.invoke('storage.targets.list', {});
    const good = listed.find((t) => t.name === '市局存储')!;
    const nas = listed.find((t) => t.name === '档案室 NAS')!;
    const ok = await admin.invoke('storage.test', { targetId: good.id });
    expect(ok).toMatchObject({ ok: true, method: 'read-back', error: null, removed: true });
    expect(ok.remoteName).toMatch(/^attest-probe-/);
    expect(existsSync(join(shared, 'good', ok.remoteName))).toBe(false);
    const bad = await admin.invoke('storage.test', { targetId: nas.id });
    expect(bad.ok).toBe(false);
    expect(bad.error).toBeTruthy();
    const sftp = listed.find((t) => t.kind === 'sftp')!;
    const refused = await admin.invoke('storage.test', { targetId: sftp.id });
    replies.push(refused);
    expect(refused.ok).toBe(false);
    await expect(desk.invoke('storage.test', { targetId: good.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('keeps a bundle stored in time ok, whatever the clock says later', async () => {
    const fresh = sealEnv({ sealing: { verify: { pdfsig: null }, storage: { pollMs: 40 } } });
    const dir = mkdtempSync(join(tmpdir(), 'attest-share2-'));
    try {
      const r = await readySession(fresh, 5);
      await r.admin.invoke('storage.targets.create', {
        kind: 'folder',
        name: 'nas',
        config: { path: dir },
      });
      await r.desk.invoke('sessions.seal', { id: r.demo.sessionId });
      const s = await until(
        () => r.desk.invoke('replication.status', {}),
        (x) => x.jobs[0]?.state === 'stored',
      );
      expect(s.bundles[0]!.deadlineStatus).toBe('ok');
      fresh.advance(72 * HOUR);
      const later = await r.desk.invoke('replication.status', { caseId: r.demo.caseId });
      expect(later.bundles[0]).toMatchObject({ deadlineStatus: 'ok' });
      expect(later.jobs[0]).toMatchObject({ state: 'stored', deadlineStatus: 'ok' });
      // Survives a restart: the status is read from the store.
      r.desk.close();
      fresh.core.close();
      const again = sealEnv({ dataDir: fresh.dataDir, start: fresh.now() });
      try {
        const c = again.connect();
        await c.invoke('auth.signIn', r.demo.accounts.officer);
        const after = await c.invoke('replication.status', { sessionId: r.demo.sessionId });
        expect(after.bundles[0]).toMatchObject({
          deadlineStatus: 'ok',
          storedAt: s.bundles[0]!.storedAt,
        });
      } finally {
        again.core.close();
      }
    } finally {
      await fresh.dispose().catch(() => undefined);
      await removeTree(dir).catch(() => undefined);
    }
  }, 120_000);

  it('never let a secret out: replies, audit trail, core log', async () => {
    const audit = await admin.invoke('audit.list', { entity: 'storage_target', limit: 500 });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'storage.target_created',
        'storage.target_updated',
        'storage.target_tested',
      ]),
    );
    const everything = JSON.stringify([replies, audit, await status(), env.log]);
    for (const secret of [SECRET, `${SECRET}-2`, KEY_SECRET])
      expect(everything).not.toContain(secret);
  });
});
