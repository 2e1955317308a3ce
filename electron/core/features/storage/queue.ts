/**
 * The replication queue (R4.1, ARCHITECTURE §6): a persistent queue in the case store,
 * one job per sealed bag and target. A job is `pending` until its next attempt is due,
 * `running` while a worker sends and verifies it, and `stored` once the copy on the target
 * was read back and matched the bag's manifest. Failures go back to `pending` with an
 * exponential backoff and jitter; a job that was `running` when the app stopped (crash,
 * power cut) is found by {@link ReplicationQueue.recover} and retried. Nothing partial
 * counts as stored: only a successful `verify` sets `verified_at`.
 */
import { storageDeadlineOf } from '../../../shared/rules/deadline';
import type { Db } from '../../platform/db/database';
import { LocalBagError, expectedManifestOf } from './manifest';
import { redact } from './secret-store';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  claimJob,
  dueJobs,
  insertJob,
  jobById,
  jobsOfBag,
  listJobs,
  makeJobDue,
  markJobFailed,
  markJobStored,
  nextDueAt,
  requeueRunningJobs,
  type FailureKind,
  type JobState,
  type ReplicationJob,
} from './store';
import { TargetError, type ExpectedManifest, type StorageTarget } from './targets/port';

export type { FailureKind, JobState, ReplicationJob } from './store';

export interface BackoffPolicy {
  /** Delay after the first failure; default 30 s. */
  baseMs?: number;
  /** Ceiling; default 30 min, so a target that comes back is used within half an hour. */
  maxMs?: number;
}

/**
 * Delay before attempt `attempts + 1`: exponential in the failures so far, capped, with
 * "equal jitter" (half fixed, half random) so many rooms that lost the same server do not
 * all retry in the same second, yet none retries much sooner than the schedule.
 */
export function backoffDelay(
  attempts: number,
  policy: BackoffPolicy = {},
  random: () => number = Math.random,
): number {
  const base = policy.baseMs ?? 30_000;
  const max = policy.maxMs ?? 30 * 60_000;
  const nominal = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

export interface JobProgress {
  jobId: number;
  phase: 'upload' | 'verify';
  bytesDone: number;
  bytesTotal: number;
}

export interface QueueOptions {
  db: Db;
  /** Opens the adapter of a target (TargetStore.open in the app; fakes in tests). */
  openTarget(targetId: number): Promise<StorageTarget>;
  /** The target's secret, used only to scrub it from error messages. */
  secretOf?(targetId: number): Promise<Record<string, string> | null>;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Operational log; receives no secrets. */
  log?: (line: string) => void;
  /** Every state change of a job (for the UI and the audit trail). */
  onChange?: (job: ReplicationJob) => void;
  onProgress?: (p: JobProgress) => void;
  /** Jobs run at once, never two on the same target. Default 2. */
  concurrency?: number;
  /**
   * What travels beside a bag (the agency certificate register, the audit trail's signed
   * heads): put as `<remote name>.trust-<hash>` once the bag is stored, read back and
   * compared; the job is stored only when both are. The name carries the content's hash, so
   * a folder is written once and never replaced (write-once storage keeps every one).
   */
  companion?: {
    files(job: ReplicationJob): Promise<CompanionFile[]>;
    /** A folder to stage them in (removed after each attempt). */
    stagingDir: string;
  };
}

/** A file of a bag's companion folder: its path inside the folder and its bytes. */
export interface CompanionFile {
  name: string;
  bytes: Buffer;
}

/**
 * The name of a bag's companion folder on a target: the bag's name and the first 16 hex
 * digits of the SHA-256 over its files' names and SHA-256s.
 */
export function companionNameOf(remoteName: string, files: readonly CompanionFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1)))
    h.update(`${f.name}\0${createHash('sha256').update(f.bytes).digest('hex')}\n`);
  return `${remoteName}.trust-${h.digest('hex').slice(0, 16)}`;
}

export interface EnqueueInput {
  bagId: string;
  bagPath: string;
  targetId: number;
  /** End of the recording (UTC ms): the 24-hour clock starts here (R4.1). */
  recordedEndAt: number;
  /** Name on the target; default the bag id. */
  remoteName?: string;
  sessionId?: number | null;
  /** Keep the remote copy at least until then (S3 Object Lock; R4.4). */
  retainUntil?: number | null;
}

export class ReplicationQueue {
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly o: QueueOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.log ?? (() => {});
  }

  /** Adds a job (idempotent per bag and target) and returns it. */
  enqueue(input: EnqueueInput): ReplicationJob {
    insertJob(this.o.db, {
      bagId: input.bagId,
      bagPath: input.bagPath,
      remoteName: input.remoteName ?? input.bagId,
      targetId: input.targetId,
      sessionId: input.sessionId ?? null,
      recordedEndAt: input.recordedEndAt,
      deadlineAt: storageDeadlineOf(input.recordedEndAt),
      retainUntil: input.retainUntil ?? null,
      at: this.now(),
    });
    const job = this.findByBag(input.bagId).find((j) => j.targetId === input.targetId)!;
    this.o.onChange?.(job);
    this.kick();
    return job;
  }

  get(id: number): ReplicationJob {
    const job = jobById(this.o.db, id);
    if (!job) throw new Error(`no replication job ${id}`);
    return job;
  }

  findByBag(bagId: string): ReplicationJob[] {
    return jobsOfBag(this.o.db, bagId);
  }

  list(filter: { state?: JobState } = {}): ReplicationJob[] {
    return listJobs(this.o.db, filter.state);
  }

  /**
   * After a restart: a job left `running` was interrupted mid-attempt (its partial upload
   * sits under a temporary name, or as an uncompleted multipart upload) and is due now.
   */
  recover(): number {
    const changed = requeueRunningJobs(this.o.db, this.now());
    if (changed > 0) this.log(`replication: ${changed} interrupted job(s) will be retried`);
    return changed;
  }

  /** Makes a pending job due now (the UI's "retry now"). */
  retryNow(id: number): void {
    makeJobDue(this.o.db, id, this.now());
    this.kick();
  }

  /** Pending jobs whose time has come, on enabled targets, most urgent deadline first. */
  due(): ReplicationJob[] {
    return dueJobs(this.o.db, this.now());
  }

  /** The earliest time a pending job becomes due, or null. */
  nextDueAt(): number | null {
    return nextDueAt(this.o.db);
  }

  /** Runs every due job (at most `concurrency` at once, one per target) and returns them as they ended. */
  async runDue(): Promise<ReplicationJob[]> {
    const byTarget = new Map<number, ReplicationJob[]>();
    for (const j of this.due()) byTarget.set(j.targetId, [...(byTarget.get(j.targetId) ?? []), j]);
    const lanes = [...byTarget.values()];
    const results: ReplicationJob[] = [];
    const workers = Array.from(
      { length: Math.min(this.o.concurrency ?? 2, lanes.length) },
      async () => {
        for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
          for (const j of lane) {
            if (this.stopped) return;
            results.push(await this.runJob(j.id));
          }
        }
      },
    );
    await Promise.all(workers);
    return results;
  }

  /** One attempt at one job: send, read back, compare; records the outcome. */
  async runJob(id: number): Promise<ReplicationJob> {
    const db = this.o.db;
    const claimed = claimJob(db, id, this.now());
    const job = this.get(id);
    if (!claimed) return job;
    this.o.onChange?.(job);
    let target: StorageTarget | null = null;
    try {
      target = await this.o.openTarget(job.targetId);
      const expected = await expectedManifestOf(job.bagPath, job.remoteName);
      this.log(
        `replication: job ${id} attempt ${job.attempts}: ${job.bagId} -> ${target.describe()}`,
      );
      const put = await target.put(
        job.bagPath,
        job.remoteName,
        (p) =>
          this.o.onProgress?.({
            jobId: id,
            phase: 'upload',
            bytesDone: p.bytesDone,
            bytesTotal: p.bytesTotal,
          }),
        {
          replaceExisting: job.lastFailure === 'verify',
          ...(job.retainUntil !== null ? { retainUntil: new Date(job.retainUntil) } : {}),
          signal: this.abort.signal,
        },
      );
      const v = await target.verify(job.remoteName, expected, (n) =>
        this.o.onProgress?.({
          jobId: id,
          phase: 'verify',
          bytesDone: n,
          bytesTotal: expected.totalBytes,
        }),
      );
      const notes = [
        ...put.notes,
        ...v.notes,
        ...(put.alreadyPresent ? ['a copy was already on the target'] : []),
      ];
      if (!v.ok) {
        const first = v.problems
          .slice(0, 3)
          .map((p) => `${p.path}: ${p.reason}`)
          .join('; ');
        throw new TargetError(
          `the copy on the target does not match the bag (${v.problems.length} problem(s)): ${first}`,
          'verify',
        );
      }
      notes.push(...(await this.putCompanion(job, target)));
      markJobStored(db, id, { at: this.now(), bytes: expected.totalBytes, notes });
      this.log(
        `replication: job ${id} stored and verified (${v.method}, ${v.bytesRead} bytes read back)`,
      );
    } catch (e) {
      const kind: FailureKind = this.abort.signal.aborted
        ? 'interrupted'
        : e instanceof TargetError
          ? e.kind
          : e instanceof LocalBagError
            ? 'config'
            : 'transfer';
      const secret = await this.o.secretOf?.(job.targetId).catch(() => null);
      const message = redact(e instanceof Error ? e.message : String(e), secret).slice(0, 2000);
      const t = this.now();
      const delay =
        kind === 'interrupted' ? 0 : backoffDelay(job.attempts, this.o.backoff, this.o.random);
      markJobFailed(db, id, { at: t, nextAttemptAt: t + delay, error: message, kind });
      this.log(
        `replication: job ${id} attempt ${job.attempts} failed (${kind}); next in ${Math.round(delay / 1000)} s: ${message}`,
      );
    } finally {
      await target?.close?.().catch(() => {});
    }
    const after = this.get(id);
    this.o.onChange?.(after);
    return after;
  }

  /** Starts the worker loop: recovers interrupted jobs, then polls for due ones. */
  start(pollMs = 15_000): void {
    if (this.timer || this.stopped) return;
    this.recover();
    this.timer = setInterval(() => this.kick(), pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs due jobs soon, unless a run is already going (it will pick them up or the next tick will). */
  kick(): void {
    if (!this.timer || this.tick || this.stopped) return;
    this.tick = this.runDue()
      .then(() => {})
      .catch((e: unknown) => this.log(`replication: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.tick = null;
      });
  }

  /** Stops the loop; an attempt in flight is aborted and left `pending` for the next start. */
  /** Puts the bag's companion folder beside it and reads it back; returns notes. */
  private async putCompanion(job: ReplicationJob, target: StorageTarget): Promise<string[]> {
    const c = this.o.companion;
    if (!c) return [];
    const files = await c.files(job);
    if (!files.length) return [];
    const name = companionNameOf(job.remoteName, files);
    const dir = join(c.stagingDir, `${job.id}-${randomBytes(4).toString('hex')}`, name);
    try {
      for (const f of files) {
        await fsp.mkdir(dirname(join(dir, ...f.name.split('/'))), { recursive: true });
        await fsp.writeFile(join(dir, ...f.name.split('/')), f.bytes);
      }
      const expected: ExpectedManifest = {
        bagName: name,
        files: files.map((f) => ({
          path: f.name,
          size: f.bytes.length,
          sha256: createHash('sha256').update(f.bytes).digest('hex'),
        })),
        totalBytes: files.reduce((n, f) => n + f.bytes.length, 0),
      };
      const put = await target.put(dir, name, undefined, {
        ...(job.retainUntil !== null ? { retainUntil: new Date(job.retainUntil) } : {}),
        signal: this.abort.signal,
      });
      const v = await target.verify(name, expected);
      if (!v.ok)
        throw new TargetError(
          `the copy of ${name} on the target does not match (${v.problems
            .slice(0, 3)
            .map((p) => `${p.path}: ${p.reason}`)
            .join('; ')})`,
          'verify',
        );
      return [...put.notes, `${name}: ${files.length} file(s) beside the bag, read back`];
    } finally {
      await fsp.rm(dirname(dir), { recursive: true, force: true });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.tick;
  }
}
