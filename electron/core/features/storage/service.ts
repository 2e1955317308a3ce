/**
 * Storage targets and the replication queue in the running core (issue 4; R4.1, R4.3;
 * ARCHITECTURE §6). The queue starts with the core (recovering attempts a crash cut off) and
 * stops with it; every sealed bundle gets a job on every enabled target, with the deadline
 * fixed at the recording's end + 24 h; a target added or re-enabled later is given every
 * bundle it lacks. Secrets are write-only: stored apart from the configuration, never
 * returned, never in the audit trail or the log, and scrubbed from error messages.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import {
  type BundleReplicationDto,
  type ReplicationJobDto,
  type ReplicationStatusDto,
  type StorageTargetDto,
  type StorageTestResultDto,
  type TargetCreateInput,
} from '../../../shared/api/storage';
import { SECRET_FIELDS, type StorageTargetKind } from '../../../shared/api/storage';
import { deadlineStatusAt, storageDeadlineOf } from '../../../shared/rules/deadline';
import { hashBytes } from '../../platform/fs';
import {
  DbSecretStore,
  ReplicationQueue,
  TargetStore,
  configSchemas,
  redact,
  secretSchemas,
  type BackoffPolicy,
  type ReplicationJob,
  type StorageTarget,
} from './';
import { requireRole, type Caller, type ServiceDeps } from '../context';

export interface StorageOptions {
  log?: (line: string) => void;
  /** How often the queue looks for due jobs besides being kicked. Default 15 s. */
  pollMs?: number;
  backoff?: BackoffPolicy;
  /** Opens a target's adapter (tests inject fakes); default the register's own factory. */
  openTarget?: (targetId: number) => Promise<StorageTarget>;
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

interface JobJoinRow {
  id: number;
  bag_id: string;
  target_id: number;
  session_id: number | null;
  state: ReplicationJobDto['state'];
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_failure: ReplicationJobDto['lastFailure'];
  deadline_at: number;
  verified_at: number | null;
  bytes: number | null;
  notes: string | null;
  updated_at: number;
  target_name: string;
  target_kind: StorageTargetKind;
  target_enabled: number;
  bundle_id: number | null;
  case_id: number | null;
  bundle_session_id: number | null;
}

interface BundleRow {
  id: number;
  bag_id: string;
  path: string;
  session_id: number;
  case_id: number;
  recorded_end_at: number;
  retain_until: number | null;
}

const ADMIN = ['admin'] as const;

/** A zod failure of a secret or configuration, as the client sees it: paths only, no values. */
function invalid(e: z.ZodError, prefix: string): AppError {
  return new AppError(
    'INVALID_INPUT',
    'the input is not valid',
    e.issues.map((i) => ({
      path: [prefix, ...i.path.map(String)].join('.'),
      message: i.message,
    })),
  );
}

export class StorageService {
  readonly targets: TargetStore;
  readonly queue: ReplicationQueue;
  private readonly log: (line: string) => void;
  private started = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly dataDir: string,
    private readonly opts: StorageOptions = {},
  ) {
    this.log = opts.log ?? (() => undefined);
    this.targets = new TargetStore(deps.db, new DbSecretStore(deps.db, deps.now), deps.now);
    this.queue = new ReplicationQueue({
      db: deps.db,
      openTarget: opts.openTarget ?? ((id) => this.targets.open(id)),
      secretOf: (id) => this.targets.secretOf(id),
      now: deps.now,
      log: this.log,
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      onChange: (job) => this.jobChanged(job),
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

  private bundleRows(where = '', ...params: unknown[]): BundleRow[] {
    return this.deps.db
      .prepare(
        `SELECT id, bag_id, path, session_id, case_id, recorded_end_at, retain_until FROM sealed_bundles ${where} ORDER BY id`,
      )
      .all(...params) as BundleRow[];
  }

  private asBundle(r: BundleRow): BundleForReplication {
    return {
      id: r.id,
      bagId: r.bag_id,
      absolutePath: join(this.dataDir, ...r.path.split('/')),
      sessionId: r.session_id,
      recordedEndAt: r.recorded_end_at,
      retainUntil: r.retain_until,
    };
  }

  /** Queues a bundle on every enabled target it is not on yet; returns how many jobs were added. */
  enqueueBundle(b: BundleForReplication, targetIds?: readonly number[]): number {
    const ids =
      targetIds ??
      (
        this.deps.db
          .prepare('SELECT id FROM storage_targets WHERE enabled = 1 ORDER BY id')
          .all() as {
          id: number;
        }[]
      ).map((r) => r.id);
    let added = 0;
    for (const targetId of ids) {
      const exists = this.deps.db
        .prepare('SELECT 1 FROM replication_jobs WHERE bag_id = ? AND target_id = ?')
        .get(b.bagId, targetId);
      if (exists) continue;
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
    for (const r of this.bundleRows()) added += this.enqueueBundle(this.asBundle(r), targetIds);
    return added;
  }

  private jobChanged(job: ReplicationJob): void {
    const bundle = this.deps.db
      .prepare('SELECT id, session_id, case_id FROM sealed_bundles WHERE bag_id = ?')
      .get(job.bagId) as { id: number; session_id: number; case_id: number } | undefined;
    if (job.state === 'stored' && job.verifiedAt !== null && job.attempts > 0) {
      // The stored copy is a fact the 24-hour rule is judged by: it goes on the audit trail.
      const target = this.deps.db
        .prepare('SELECT name, kind FROM storage_targets WHERE id = ?')
        .get(job.targetId) as { name: string; kind: string } | undefined;
      this.deps.audit.append({
        at: job.verifiedAt,
        actorUserId: null,
        actor: null,
        action: 'bundle.replicated',
        entity: 'session',
        entityId: bundle?.session_id ?? job.sessionId,
        caseId: bundle?.case_id ?? null,
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
      sessionId: bundle?.session_id ?? job.sessionId,
      state: job.state,
    });
  }

  // -------------------------------------------------------------------------------------
  // Status (R4.1)

  status(filter: {
    caseId?: number | undefined;
    sessionId?: number | undefined;
  }): ReplicationStatusDto {
    const now = this.deps.now();
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.caseId !== undefined) {
      where.push('b.case_id = @caseId');
      params.caseId = filter.caseId;
    }
    if (filter.sessionId !== undefined) {
      where.push('b.session_id = @sessionId');
      params.sessionId = filter.sessionId;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.deps.db
      .prepare(
        `SELECT j.id, j.bag_id, j.target_id, j.session_id, j.state, j.attempts, j.next_attempt_at,
                j.last_error, j.last_failure, j.deadline_at, j.verified_at, j.bytes, j.notes, j.updated_at,
                t.name AS target_name, t.kind AS target_kind, t.enabled AS target_enabled,
                b.id AS bundle_id, b.case_id AS case_id, b.session_id AS bundle_session_id
         FROM replication_jobs j
         JOIN storage_targets t ON t.id = j.target_id
         ${where.length ? 'JOIN' : 'LEFT JOIN'} sealed_bundles b ON b.bag_id = j.bag_id
         ${clause}
         ORDER BY j.deadline_at, j.id`,
      )
      .all(params) as JobJoinRow[];
    const jobs = rows.map((r): ReplicationJobDto => ({
      id: r.id,
      bundleId: r.bundle_id,
      sessionId: r.bundle_session_id ?? r.session_id,
      caseId: r.case_id,
      targetId: r.target_id,
      targetName: r.target_name,
      targetKind: r.target_kind,
      targetEnabled: r.target_enabled === 1,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at,
      lastError: r.last_error,
      lastFailure: r.last_failure,
      deadlineAt: r.deadline_at,
      deadlineStatus: deadlineStatusAt(r.deadline_at, r.verified_at, now),
      verifiedAt: r.verified_at,
      bytes: r.bytes,
      notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
      updatedAt: r.updated_at,
    }));
    const bundleWhere = where.map((w) => w.replace(/^b\./, ''));
    const bundles = this.deps.db
      .prepare(
        `SELECT id, session_id, case_id, recorded_end_at, bag_id FROM sealed_bundles
         ${bundleWhere.length ? `WHERE ${bundleWhere.join(' AND ')}` : ''} ORDER BY id DESC`,
      )
      .all(params) as {
      id: number;
      session_id: number;
      case_id: number;
      recorded_end_at: number;
      bag_id: string;
    }[];
    return {
      now,
      jobs,
      bundles: bundles.map((b): BundleReplicationDto => {
        const mine = jobs.filter((j) => j.bundleId === b.id);
        const stored = mine
          .map((j) => j.verifiedAt)
          .filter((v): v is number => v !== null)
          .sort((x, y) => x - y);
        const deadlineAt = mine[0]?.deadlineAt ?? storageDeadlineOf(b.recorded_end_at);
        const storedAt = stored[0] ?? null;
        return {
          bundleId: b.id,
          sessionId: b.session_id,
          caseId: b.case_id,
          deadlineAt,
          deadlineStatus: deadlineStatusAt(deadlineAt, storedAt, now),
          storedAt,
          targets: mine.filter((j) => j.targetEnabled).length,
        };
      }),
    };
  }

  retryNow(caller: Caller, jobId: number): ReplicationJobDto {
    requireRole(caller, ['officer', 'moderator', 'admin'], 'retrying a replication');
    const job = this.queue.get(jobId);
    this.queue.retryNow(job.id);
    const dto = this.status({}).jobs.find((j) => j.id === jobId);
    if (!dto) throw new AppError('NOT_FOUND', `no replication job ${jobId}`);
    return dto;
  }

  // -------------------------------------------------------------------------------------
  // Targets (admin)

  private async toDto(id: number): Promise<StorageTargetDto> {
    const row = this.targets.get(id);
    const secret = await this.targets.secretOf(id).catch(() => null);
    const counts = this.deps.db
      .prepare(
        `SELECT sum(state <> 'stored') AS pending, sum(state = 'stored') AS stored
         FROM replication_jobs WHERE target_id = ?`,
      )
      .get(id) as { pending: number | null; stored: number | null };
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      config: row.config,
      enabled: row.enabled,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      secretFields: SECRET_FIELDS[row.kind].filter((f) => Boolean(secret?.[f])),
      jobs: { pending: counts.pending ?? 0, stored: counts.stored ?? 0 },
    };
  }

  private target(id: number) {
    try {
      return this.targets.get(id);
    } catch {
      throw new AppError('NOT_FOUND', `no storage target ${id}`);
    }
  }

  async list(caller: Caller): Promise<StorageTargetDto[]> {
    requireRole(caller, ADMIN, 'storage targets');
    const out: StorageTargetDto[] = [];
    for (const t of this.targets.list()) out.push(await this.toDto(t.id));
    return out;
  }

  private auditTarget(caller: Caller, action: string, id: number, data: unknown): void {
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: caller.user?.id ?? null,
      actor: caller.user?.displayName ?? null,
      action,
      entity: 'storage_target',
      entityId: id,
      caseId: null,
      data,
    });
  }

  async create(caller: Caller, input: TargetCreateInput): Promise<StorageTargetDto> {
    requireRole(caller, ADMIN, 'adding a storage target');
    const secret = (input.secret ?? {}) as Record<string, string>;
    const row = await this.targets
      .add({ name: input.name, kind: input.kind, config: input.config, secret })
      .catch((e: unknown) => {
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE')
          throw new AppError('CONFLICT', `a storage target named ${input.name} already exists`);
        throw e;
      });
    // The audit trail names the secret's fields, never their values.
    this.auditTarget(caller, 'storage.target_created', row.id, {
      name: row.name,
      kind: row.kind,
      config: row.config,
      secretFields: Object.keys(secret).filter((k) => secret[k]),
    });
    const added = this.enqueueForTarget(row.id);
    this.deps.emit('storage.targets.changed', { targetId: row.id });
    if (added > 0) this.log(`replication: target ${row.id} was given ${added} bundle(s)`);
    return this.toDto(row.id);
  }

  private enqueueForTarget(targetId: number): number {
    return this.reconcile([targetId]);
  }

  async update(
    caller: Caller,
    input: {
      id: number;
      name?: string | undefined;
      config?: Record<string, unknown> | undefined;
      secret?: Record<string, string> | undefined;
    },
  ): Promise<StorageTargetDto> {
    requireRole(caller, ADMIN, 'changing a storage target');
    const row = this.target(input.id);
    let config: Record<string, unknown> | undefined;
    if (input.config !== undefined) {
      const parsed = configSchemas[row.kind].safeParse(input.config);
      if (!parsed.success) throw invalid(parsed.error, 'config');
      config = parsed.data as Record<string, unknown>;
      const same = JSON.stringify(config) === JSON.stringify(row.config);
      const stored = (
        this.deps.db
          .prepare(
            "SELECT count(*) AS n FROM replication_jobs WHERE target_id = ? AND state = 'stored'",
          )
          .get(row.id) as { n: number }
      ).n;
      // The record says "stored and verified on target N": N must keep meaning that place.
      if (!same && stored > 0) {
        throw new AppError(
          'CONFLICT',
          `target ${row.name} holds ${stored} verified copies; add a new target for a new place instead of moving this one`,
        );
      }
    }
    if (input.secret !== undefined) {
      const parsed = secretSchemas[row.kind].safeParse(input.secret);
      if (!parsed.success) throw invalid(parsed.error, 'secret');
    }
    // The secret is written first (a file); the change of the row and its audit entry then
    // go together, so no change of a target is ever off the record.
    if (input.secret !== undefined) await this.targets.setSecret(row.id, input.secret);
    try {
      this.deps.db.transaction(() => {
        this.targets.update(row.id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(config !== undefined ? { config } : {}),
        });
        this.auditTarget(caller, 'storage.target_updated', row.id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(config !== undefined ? { config } : {}),
          ...(input.secret !== undefined
            ? {
                secretReplaced: true,
                secretFields: Object.keys(input.secret).filter((k) => input.secret?.[k]),
              }
            : {}),
        });
      })();
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new AppError('CONFLICT', `a storage target named ${input.name} already exists`);
      throw e;
    }
    this.deps.emit('storage.targets.changed', { targetId: row.id });
    this.queue.kick();
    return this.toDto(row.id);
  }

  async setEnabled(caller: Caller, id: number, enabled: boolean): Promise<StorageTargetDto> {
    requireRole(caller, ADMIN, 'enabling or disabling a storage target');
    const row = this.target(id);
    if (row.enabled !== enabled) {
      // The switch, its audit entry and the jobs it makes: all or nothing.
      this.deps.db.transaction(() => {
        this.targets.setEnabled(id, enabled);
        this.auditTarget(
          caller,
          enabled ? 'storage.target_enabled' : 'storage.target_disabled',
          id,
          { name: row.name },
        );
        if (enabled) this.enqueueForTarget(id);
      })();
      this.deps.emit('storage.targets.changed', { targetId: id });
      this.queue.kick();
    }
    return this.toDto(id);
  }

  /**
   * Puts a small probe folder on the target under a fresh name and reads it back, as a
   * bag's copy is checked. The probe stays there: targets are write-once places and this
   * service deletes nothing.
   */
  async test(caller: Caller, targetId: number): Promise<StorageTestResultDto> {
    requireRole(caller, ADMIN, 'testing a storage target');
    const row = this.target(targetId);
    const at = this.deps.now();
    const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const remoteName = `attest-probe-${stamp}-${randomBytes(4).toString('hex')}`;
    const dir = await fsp.mkdtemp(join(tmpdir(), 'attest-probe-'));
    const body = `Attest storage probe / 存储目标测试\n${new Date(at).toISOString()}\n${remoteName}\n`;
    const started = performance.now();
    let target: StorageTarget | null = null;
    let result: StorageTestResultDto;
    try {
      await fsp.writeFile(join(dir, 'attest-probe.txt'), body);
      const size = Buffer.byteLength(body);
      target = await (this.opts.openTarget ?? ((id: number) => this.targets.open(id)))(targetId);
      const put = await target.put(dir, remoteName);
      const v = await target.verify(remoteName, {
        bagName: remoteName,
        files: [{ path: 'attest-probe.txt', size, sha256: hashBytes(body).sha256 }],
        totalBytes: size,
      });
      result = {
        targetId,
        ok: v.ok,
        remoteName,
        method: v.method,
        bytes: put.bytesSent,
        durationMs: Math.round(performance.now() - started),
        notes: [...put.notes, ...v.notes],
        error: v.ok ? null : v.problems.map((p) => `${p.path}: ${p.reason}`).join('; '),
      };
    } catch (e) {
      const secret = await this.targets.secretOf(targetId).catch(() => null);
      result = {
        targetId,
        ok: false,
        remoteName,
        method: null,
        bytes: 0,
        durationMs: Math.round(performance.now() - started),
        notes: [],
        error: redact(e instanceof Error ? e.message : String(e), secret).slice(0, 2000),
      };
    } finally {
      await target?.close?.().catch(() => undefined);
      await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
    this.auditTarget(caller, 'storage.target_tested', targetId, {
      name: row.name,
      ok: result.ok,
      remoteName,
      error: result.error,
    });
    return result;
  }
}
