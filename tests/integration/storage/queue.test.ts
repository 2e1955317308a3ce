import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backoffDelay, type StorageTarget } from '../../../electron/core/features/storage';
import {
  STORAGE_DEADLINE_MS,
  bagDeadlineStatus,
  deadlineStatusAt,
} from '../../../electron/shared/rules/deadline';
import { removeTempDirs, tempDir } from '../platform/bagit/fixtures';
import { MiB, queueHarness, sealedBag } from './harness';

afterAll(removeTempDirs);

const H = 60 * 60 * 1000;

describe('retry schedule and the 24-hour rule', () => {
  it('backs off exponentially with equal jitter, up to a ceiling', () => {
    const policy = { baseMs: 1000, maxMs: 60_000 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 1))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, policy, () => 0))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect(backoffDelay(30, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(30, policy, () => 0)).toBe(30_000);
    // Defaults: 30 s first, at most 30 min.
    expect(backoffDelay(1, {}, () => 1)).toBe(30_000);
    expect(backoffDelay(100, {}, () => 1)).toBe(30 * 60_000);
  });

  it('says ok, warn (within 4 h of the deadline) or overdue; a late copy stays overdue', () => {
    const end = Date.UTC(2026, 10, 23, 2, 0, 0);
    const job = { deadlineAt: end + STORAGE_DEADLINE_MS, verifiedAt: null };
    expect(STORAGE_DEADLINE_MS).toBe(24 * H);
    expect(deadlineStatusAt(job.deadlineAt, null, end + H)).toBe('ok');
    expect(deadlineStatusAt(job.deadlineAt, null, end + 20 * H)).toBe('warn');
    expect(deadlineStatusAt(job.deadlineAt, null, end + 23 * H, 30 * 60_000)).toBe('ok');
    expect(deadlineStatusAt(job.deadlineAt, null, end + 24 * H + 1)).toBe('overdue');
    expect(deadlineStatusAt(job.deadlineAt, end + 23 * H, end + 48 * H)).toBe('ok');
    expect(deadlineStatusAt(job.deadlineAt, end + 25 * H, end + 48 * H)).toBe('overdue');
    // A bag is stored in time when any target holds a verified copy in time.
    expect(bagDeadlineStatus([job, { ...job, verifiedAt: end + H }], end + 30 * H)).toBe('ok');
    expect(bagDeadlineStatus([job, job], end + 21 * H)).toBe('warn');
    expect(bagDeadlineStatus([], end)).toBe('overdue');
  });
});

describe('the replication queue', () => {
  it('keeps one job per bag and target, with the deadline fixed at recording end + 24 h', async () => {
    const share = tempDir('attest-share-');
    const h = await queueHarness({ kind: 'folder', config: { path: share } });
    const end = Date.UTC(2026, 10, 23, 2, 0, 0);
    const a = h.queue.enqueue({
      bagId: 'b1',
      bagPath: '/nowhere',
      targetId: h.targetId,
      recordedEndAt: end,
    });
    const b = h.queue.enqueue({
      bagId: 'b1',
      bagPath: '/nowhere',
      targetId: h.targetId,
      recordedEndAt: end,
    });
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({
      state: 'pending',
      attempts: 0,
      deadlineAt: end + 24 * H,
      verifiedAt: null,
    });
    // The database refuses a relaxed deadline, a deleted job, and un-storing a stored one.
    expect(() =>
      h.db.prepare('UPDATE replication_jobs SET deadline_at = deadline_at + 1').run(),
    ).toThrow(/CHECK/);
    expect(() => h.db.prepare('DELETE FROM replication_jobs').run()).toThrow(/never deleted/);
    h.db.close();
  });

  it('records a damaged local bag as a configuration failure, naming the file', async () => {
    const bag = await sealedBag('damaged');
    const copy = join(tempDir(), 'damaged');
    await fsp.cp(bag.path, copy, { recursive: true });
    await fsp.chmod(join(copy, 'data'), 0o755);
    await fsp.writeFile(join(copy, 'data', 'intruder.txt'), 'x');
    const h = await queueHarness({ kind: 'folder', config: { path: tempDir('attest-share-') } });
    const job = h.queue.enqueue({
      bagId: 'damaged',
      bagPath: copy,
      targetId: h.targetId,
      recordedEndAt: Date.now(),
    });
    const j = await h.queue.runJob(job.id);
    expect(j).toMatchObject({ state: 'pending', lastFailure: 'config' });
    expect(j.lastError).toMatch(/data\/intruder\.txt is in the local bag but not in its manifest/);
    h.db.close();
  });

  it('never writes a target secret into the job record or the log', async () => {
    const secret = 'hunter2-very-secret-password';
    const h = await queueHarness(
      {
        kind: 'webdav',
        config: { url: 'http://127.0.0.1:9/dav', username: 'u' },
        secret: { password: secret },
      },
      {
        openTarget: async () =>
          ({
            kind: 'webdav',
            describe: () => 'fake',
            put: () =>
              Promise.reject(
                new Error(`401 for http://u:${encodeURIComponent(secret)}@127.0.0.1/ (${secret})`),
              ),
            verify: () => Promise.reject(new Error('unreachable')),
            removeProbe: () => Promise.reject(new Error('unreachable')),
          }) satisfies StorageTarget,
      },
    );
    const bag = await sealedBag('secret-test');
    const job = h.queue.enqueue({
      bagId: 'secret-test',
      bagPath: bag.path,
      targetId: h.targetId,
      recordedEndAt: Date.now(),
    });
    const j = await h.queue.runJob(job.id);
    expect(j.lastError).toContain('***');
    expect(j.lastError).not.toContain(secret);
    expect(h.log.join('\n')).not.toContain(secret);
    // The config row holds no secret; the secret table does, apart.
    expect(JSON.stringify(h.db.prepare('SELECT * FROM storage_targets').all())).not.toContain(
      secret,
    );
    expect(h.targets.list()[0]!.config).toEqual({ url: 'http://127.0.0.1:9/dav', username: 'u' });
    h.db.close();
  });

  it('stop() aborts an attempt in flight and leaves the job pending for the next start', async () => {
    let started!: () => void;
    const inPut = new Promise<void>((r) => (started = r));
    const h = await queueHarness(
      { kind: 'folder', config: { path: tempDir('attest-share-') } },
      {
        openTarget: async () => ({
          kind: 'folder',
          describe: () => 'slow fake',
          put: (_l, _r, _p, opts) =>
            new Promise((_, reject) => {
              started();
              opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
            }),
          verify: () => Promise.reject(new Error('unreachable')),
          removeProbe: () => Promise.reject(new Error('unreachable')),
        }),
      },
    );
    const bag = await sealedBag('stopped');
    const job = h.queue.enqueue({
      bagId: 'stopped',
      bagPath: bag.path,
      targetId: h.targetId,
      recordedEndAt: Date.now(),
    });
    h.queue.start(60_000);
    await inPut;
    expect(h.queue.get(job.id).state).toBe('running');
    await h.queue.stop();
    expect(h.queue.get(job.id)).toMatchObject({
      state: 'pending',
      lastFailure: 'interrupted',
      verifiedAt: null,
    });
    h.db.close();
  });

  it('survives a crash mid-upload: after a restart the interrupted job is retried and stored', async () => {
    const share = tempDir('attest-share-');
    const bag = await sealedBag('crash-1', 64);
    const h = await queueHarness({ kind: 'folder', config: { path: share } });
    const end = Date.now() - 2 * H;
    const job = h.queue.enqueue({
      bagId: bag.bagName,
      bagPath: bag.path,
      targetId: h.targetId,
      recordedEndAt: end,
    });
    h.db.close();
    const child = spawn(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        './tests/helpers/ts-hooks.mjs',
        'tests/integration/storage/queue-child.ts',
        h.dbPath,
        String(job.id),
        String(16 * MiB),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(signal, out).toBe('SIGKILL');
    // What the crash left: a job marked running, a temporary copy, nothing under the final name.
    const names = await fsp.readdir(share);
    expect(names).not.toContain(bag.bagName);
    expect(names.filter((n) => n.startsWith(`.tmp-${bag.bagName}-`))).toHaveLength(1);

    const again = await queueHarness(
      { kind: 'folder', config: { path: share } },
      { dbPath: h.dbPath },
    );
    expect(again.queue.get(job.id)).toMatchObject({
      state: 'running',
      attempts: 1,
      verifiedAt: null,
    });
    // The deadline survives the restart, and the status is computed from it.
    const restarted = again.queue.get(job.id);
    expect(deadlineStatusAt(restarted.deadlineAt, restarted.verifiedAt, Date.now())).toBe('ok');
    expect(again.queue.recover()).toBe(1);
    expect(again.queue.get(job.id)).toMatchObject({ state: 'pending', lastFailure: 'interrupted' });
    const ran = await again.queue.runDue();
    expect(ran.map((j) => j.state)).toEqual(['stored']);
    expect(again.queue.get(job.id)).toMatchObject({ state: 'stored', attempts: 2 });
    expect((await fsp.readdir(share)).sort()).toEqual([bag.bagName]);
    again.db.close();
  }, 60_000);
});
