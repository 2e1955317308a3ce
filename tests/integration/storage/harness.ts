/**
 * Shared pieces of the storage tests: a sealed bag with a payload big enough to kill a
 * server in the middle of it, a case store with the replication tables, and a queue wired
 * to the real TargetStore with fast backoff.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../electron/core/platform/db/database';
import { sealBag, type SealResult } from '../../../electron/core/features/sealing';
import {
  DbSecretStore,
  ReplicationQueue,
  TargetStore,
  type JobProgress,
  type QueueOptions,
  type TargetKind,
} from '../../../electron/core/features/storage';
import { makeTestPki, sampleSession, tempDir, type TestPki } from '../platform/bagit/fixtures';

export const MiB = 1024 * 1024;

let pki: TestPki | null = null;

/**
 * Seals the sample session plus a `bigMiB` file of random bytes (random, so nothing on the
 * way can compress it). Returns the sealed bag.
 */
export async function sealedBag(bagName: string, bigMiB = 0): Promise<SealResult> {
  pki ??= await makeTestPki();
  const extra: { path: string; name: string }[] = [];
  if (bigMiB > 0) {
    const p = join(tempDir('attest-big-'), 'big.bin');
    const fh = await fsp.open(p, 'w');
    for (let i = 0; i < bigMiB; i++) await fh.write(randomBytes(MiB));
    await fh.close();
    extra.push({ path: p, name: 'media/CAM-03.mp4.part' });
  }
  const s = await sampleSession(tempDir('attest-archive-'), { pki, bagName, extraFiles: extra });
  return sealBag(s.options);
}

export interface QueueHarness {
  db: Db;
  dbPath: string;
  targets: TargetStore;
  queue: ReplicationQueue;
  targetId: number;
  progress: JobProgress[];
  log: string[];
}

export async function queueHarness(
  target: { kind: TargetKind; config: unknown; secret?: Record<string, string> },
  opts: Partial<QueueOptions> & { dbPath?: string } = {},
): Promise<QueueHarness> {
  const dbPath = opts.dbPath ?? join(tempDir('attest-db-'), 'attest.db');
  const db = openDatabase(dbPath);
  const targets = new TargetStore(db, new DbSecretStore(db));
  // Reopening a store (after a crash) finds its target again.
  const row =
    targets.list().find((t) => t.name === `${target.kind}-1`) ??
    (await targets.add({ name: `${target.kind}-1`, ...target }));
  const progress: JobProgress[] = [];
  const log: string[] = [];
  const queue = new ReplicationQueue({
    db,
    openTarget: (id) => targets.open(id),
    secretOf: (id) => targets.secretOf(id),
    backoff: { baseMs: 200, maxMs: 1000 },
    random: () => 0.5,
    log: (l) => log.push(l),
    ...opts,
    onProgress: (p) => {
      progress.push(p);
      opts.onProgress?.(p);
    },
  });
  return { db, dbPath, targets, queue, targetId: row.id, progress, log };
}

/** Waits until the job's next attempt is due (backoff), then a little. */
export async function waitUntilDue(h: QueueHarness, jobId: number): Promise<void> {
  const j = h.queue.get(jobId);
  const wait = j.nextAttemptAt - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 20));
}
