/**
 * Storage targets and the replication queue in the running core (R4.1, R4.3; ARCHITECTURE
 * §6). The queue starts with the core (recovering attempts a crash cut off) and stops with
 * it; every sealed bundle gets a job on every enabled target, with the deadline fixed at the
 * recording's end + 24 h; a target added or re-enabled later is given every bundle it lacks.
 * Managing the targets themselves (and their write-only secrets) is targets-service.ts.
 */
import { join } from 'node:path';
import type {
  BundleReplicationDto,
  ReplicationJobDto,
  ReplicationStatusDto,
  StorageTargetDto,
  StorageTestResultDto,
  TargetCreateInput,
} from '../../../shared/api/storage';
import { CASE_WRITERS } from '../../../shared/api/define';
import { AppError } from '../../../shared/errors';
import { deadlineStatusAt, storageDeadlineOf } from '../../../shared/rules/deadline';
import { requireRole, type Caller, type ServiceDeps } from '../context';
import { sealedBundleByBagId, sealedBundleRefs, type SealedBundleRef } from '../sealing';
import type { Keystore } from '../../platform/keystore';
import { ReplicationQueue, type BackoffPolicy, type QueueOptions } from './queue';
import { DbSecretStore } from './secret-store';
import {
  enabledTargetIds,
  hasJob,
  jobsWithTargets,
  targetById,
  type ReplicationJob,
} from './store';
import { TargetsAdmin } from './targets-service';
import { TargetStore } from './targets/index';
import type { StorageTarget } from './targets/port';

export interface StorageOptions {
  log?: (line: string) => void;
  /** How often the queue looks for due jobs besides being kicked. Default 15 s. */
  pollMs?: number;
  backoff?: BackoffPolicy;
  /** Opens a target's adapter (tests inject fakes); default the register's own factory. */
  openTarget?: (targetId: number) => Promise<StorageTarget>;
  /** What travels beside each bag (the register, the audit trail's signed heads). */
  companion?: QueueOptions['companion'];
  /** The OS keystore that protects the targets' secrets at rest, when there is one. */
  keystore?: Keystore | undefined;
  /** Why a secret may not be stored now, or null (see TargetsAdminHooks.secretRefusal). */
  secretRefusal?: () => string | null;
}

/** What the queue needs to know of a sealed bundle. */
export interface BundleForReplication {
  id: number;
  bagId: string;
  absolutePath: string;
  sessionId: number;
  recordedEndAt: number;
  retainUntil: number | null;
}

export class StorageService {
  readonly targets: TargetStore;
  readonly queue: ReplicationQueue;
  private readonly admin: TargetsAdmin;
  private readonly log: (line: string) => void;
  private started = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly dataDir: string,
    private readonly opts: StorageOptions = {},
  ) {
    this.log = opts.log ?? (() => undefined);
    this.targets = new TargetStore(
      deps.db,
      new DbSecretStore(deps.db, deps.now, opts.keystore),
      deps.now,
    );
    const openTarget = opts.openTarget ?? ((id: number) => this.targets.open(id));
    this.queue = new ReplicationQueue({
      db: deps.db,
      openTarget,
      secretOf: (id) => this.targets.secretOf(id),
      now: deps.now,
      log: this.log,
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      ...(opts.companion ? { companion: opts.companion } : {}),
      onChange: (job) => this.jobChanged(job),
    });
    this.admin = new TargetsAdmin(deps, this.targets, {
      openTarget,
      enqueueForTarget: (id) => this.reconcile([id]),
      kick: () => this.queue.kick(),
      log: this.log,
      ...(opts.secretRefusal ? { secretRefusal: opts.secretRefusal } : {}),
    });
  }

  // -------------------------------------------------------------------------------------
  // Life cycle

  /** Recovers interrupted attempts, queues what a crash left unqueued, starts the worker. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.queue.start(this.opts.pollMs ?? 15_000);
    try {
      const added = this.reconcile();
      if (added > 0) this.log(`replication: queued ${added} missing job(s)`);
    } catch (e) {
      this.log(`replication: reconcile failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Stops the worker; an attempt in flight is aborted and retried at the next start. */
  stop(): Promise<void> {
    return this.queue.stop();
  }

  // -------------------------------------------------------------------------------------
  // Replication

  private asBundle(b: SealedBundleRef): BundleForReplication {
    return {
      id: b.id,
      bagId: b.bagId,
      absolutePath: join(this.dataDir, ...b.path.split('/')),
      sessionId: b.sessionId,
      recordedEndAt: b.recordedEndAt,
      retainUntil: b.retainUntil,
    };
  }

  /** Queues a bundle on every enabled target it is not on yet; returns how many jobs were added. */
  enqueueBundle(b: BundleForReplication, targetIds?: readonly number[]): number {
    let added = 0;
    for (const targetId of targetIds ?? enabledTargetIds(this.deps.db)) {
      if (hasJob(this.deps.db, b.bagId, targetId)) continue;
      this.queue.enqueue({
        bagId: b.bagId,
        bagPath: b.absolutePath,
        targetId,
        recordedEndAt: b.recordedEndAt,
        remoteName: b.bagId,
        sessionId: b.sessionId,
        retainUntil: b.retainUntil,
      });
      added++;
    }
    return added;
  }

  /** Every bundle on every enabled target (after a crash, or a target added or enabled). */
  reconcile(targetIds?: readonly number[]): number {
    let added = 0;
    for (const b of sealedBundleRefs(this.deps.db))
      added += this.enqueueBundle(this.asBundle(b), targetIds);
    return added;
  }

  private jobChanged(job: ReplicationJob): void {
    const bundle = sealedBundleByBagId(this.deps.db, job.bagId);
    if (job.state === 'stored' && job.verifiedAt !== null && job.attempts > 0) {
      // The stored copy is a fact the 24-hour rule is judged by: it goes on the audit trail.
      const target = targetById(this.deps.db, job.targetId);
      this.deps.audit.append({
        at: job.verifiedAt,
        actorUserId: null,
        actor: null,
        action: 'bundle.replicated',
        entity: 'session',
        entityId: bundle?.sessionId ?? job.sessionId,
        caseId: bundle?.caseId ?? null,
        data: {
          bundleId: bundle?.id ?? null,
          bagId: job.bagId,
          jobId: job.id,
          target: target ? { id: job.targetId, name: target.name, kind: target.kind } : null,
          verifiedAt: job.verifiedAt,
          deadlineAt: job.deadlineAt,
          inTime: job.verifiedAt <= job.deadlineAt,
          bytes: job.bytes,
          attempts: job.attempts,
        },
      });
    }
    this.deps.emit('replication.changed', {
      jobId: job.id,
      bundleId: bundle?.id ?? null,
      sessionId: bundle?.sessionId ?? job.sessionId,
      state: job.state,
    });
  }

  // -------------------------------------------------------------------------------------
  // Status (R4.1)

  /**
   * Replication jobs (of the bundles of a case or a session, or all jobs) and each bundle's
   * standing against the 24-hour rule: one verified copy in time on any target satisfies it.
   */
  status(filter: {
    caseId?: number | undefined;
    sessionId?: number | undefined;
  }): ReplicationStatusDto {
    const now = this.deps.now();
    const filtered = filter.caseId !== undefined || filter.sessionId !== undefined;
    const bundles = sealedBundleRefs(this.deps.db, filter);
    const bundleOfBag = new Map(bundles.map((b) => [b.bagId, b]));
    const jobs = jobsWithTargets(this.deps.db)
      .filter((j) => !filtered || bundleOfBag.has(j.bagId))
      .map((j): ReplicationJobDto => {
        const b = bundleOfBag.get(j.bagId);
        return {
          id: j.id,
          bundleId: b?.id ?? null,
          sessionId: b?.sessionId ?? j.sessionId,
          caseId: b?.caseId ?? null,
          targetId: j.targetId,
          targetName: j.targetName,
          targetKind: j.targetKind,
          targetEnabled: j.targetEnabled,
          state: j.state,
          attempts: j.attempts,
          nextAttemptAt: j.nextAttemptAt,
          lastError: j.lastError,
          lastFailure: j.lastFailure,
          deadlineAt: j.deadlineAt,
          deadlineStatus: deadlineStatusAt(j.deadlineAt, j.verifiedAt, now),
          verifiedAt: j.verifiedAt,
          bytes: j.bytes,
          notes: j.notes,
          updatedAt: j.updatedAt,
        };
      });
    return {
      now,
      jobs,
      bundles: [...bundles].reverse().map((b): BundleReplicationDto => {
        const mine = jobs.filter((j) => j.bundleId === b.id);
        const stored = mine
          .map((j) => j.verifiedAt)
          .filter((v): v is number => v !== null)
          .sort((x, y) => x - y);
        const deadlineAt = mine[0]?.deadlineAt ?? storageDeadlineOf(b.recordedEndAt);
        const storedAt = stored[0] ?? null;
        return {
          bundleId: b.id,
          sessionId: b.sessionId,
          caseId: b.caseId,
          deadlineAt,
          deadlineStatus: deadlineStatusAt(deadlineAt, storedAt, now),
          storedAt,
          targets: mine.filter((j) => j.targetEnabled).length,
        };
      }),
    };
  }

  retryNow(caller: Caller, jobId: number): ReplicationJobDto {
    requireRole(caller, CASE_WRITERS, 'retrying a replication');
    const job = this.queue.get(jobId);
    this.queue.retryNow(job.id);
    const dto = this.status({}).jobs.find((j) => j.id === jobId);
    if (!dto) throw new AppError('NOT_FOUND', `no replication job ${jobId}`);
    return dto;
  }

  // -------------------------------------------------------------------------------------
  // Targets (admin): see targets-service.ts

  list(caller: Caller): Promise<StorageTargetDto[]> {
    return this.admin.list(caller);
  }

  create(caller: Caller, input: TargetCreateInput): Promise<StorageTargetDto> {
    return this.admin.create(caller, input);
  }

  update(caller: Caller, input: Parameters<TargetsAdmin['update']>[1]): Promise<StorageTargetDto> {
    return this.admin.update(caller, input);
  }

  setEnabled(caller: Caller, id: number, enabled: boolean): Promise<StorageTargetDto> {
    return this.admin.setEnabled(caller, id, enabled);
  }

  test(caller: Caller, targetId: number): Promise<StorageTestResultDto> {
    return this.admin.test(caller, targetId);
  }
}
