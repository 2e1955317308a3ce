/**
 * Storage targets as the administrator manages them (R4.1; ARCHITECTURE §6): list, add,
 * rename or reconfigure, enable or disable, and test with a small probe. Secrets are
 * write-only: stored apart from the configuration, never returned, never in the audit trail
 * or the log, and scrubbed from error messages. Targets are never deleted (their jobs refer
 * to them); every change is audited.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  SECRET_FIELDS,
  type StorageTargetDto,
  type StorageTestResultDto,
  type TargetCreateInput,
} from '../../../shared/api/storage';
import { AppError } from '../../../shared/errors';
import { hashBytes } from '../../platform/fs';
import { requireRole, type Caller, type ServiceDeps } from '../context';
import { redact } from './secret-store';
import { jobCountsOfTarget } from './store';
import { configSchemas, secretSchemas, type TargetStore } from './targets/index';
import { PROBE_PREFIX, type StorageTarget } from './targets/port';
import type { AuditAction } from '../../../shared/audit-actions';

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

const isUniqueViolation = (e: unknown) =>
  e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE';

/** What managing targets needs of the replication side. */
export interface TargetsAdminHooks {
  /** Opens a target's adapter (tests inject fakes). */
  openTarget(targetId: number): Promise<StorageTarget>;
  /** Queues every sealed bundle the target lacks; returns how many jobs were added. */
  enqueueForTarget(targetId: number): number;
  /** Runs due jobs soon (a target changed). */
  kick(): void;
  log(line: string): void;
  /**
   * Why a secret may not be stored now (no OS keystore, and the administrator has not
   * accepted plain storage), or null when it may.
   */
  secretRefusal?(): string | null;
}

export class TargetsAdmin {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly targets: TargetStore,
    private readonly hooks: TargetsAdminHooks,
  ) {}

  private async toDto(id: number): Promise<StorageTargetDto> {
    const row = this.targets.get(id);
    const secret = await this.targets.secretOf(id).catch(() => null);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      config: row.config,
      enabled: row.enabled,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      secretFields: SECRET_FIELDS[row.kind].filter((f) => Boolean(secret?.[f])),
      jobs: jobCountsOfTarget(this.deps.db, id),
    };
  }

  private target(id: number) {
    try {
      return this.targets.get(id);
    } catch {
      throw new AppError('NOT_FOUND', `no storage target ${id}`);
    }
  }

  private audit(caller: Caller, action: AuditAction, id: number, data: unknown): void {
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

  private refuseUnprotected(): void {
    const why = this.hooks.secretRefusal?.();
    if (why) throw new AppError('RULE_VIOLATION', why);
  }

  async list(caller: Caller): Promise<StorageTargetDto[]> {
    requireRole(caller, ADMIN, 'storage targets');
    const out: StorageTargetDto[] = [];
    for (const t of this.targets.list()) out.push(await this.toDto(t.id));
    return out;
  }

  /** Adds a target; every sealed bundle not yet on it is queued for it. */
  async create(caller: Caller, input: TargetCreateInput): Promise<StorageTargetDto> {
    requireRole(caller, ADMIN, 'adding a storage target');
    const secret = (input.secret ?? {}) as Record<string, string>;
    if (Object.values(secret).some(Boolean)) this.refuseUnprotected();
    const row = await this.targets
      .add({ name: input.name, kind: input.kind, config: input.config, secret })
      .catch((e: unknown) => {
        if (isUniqueViolation(e))
          throw new AppError('CONFLICT', `a storage target named ${input.name} already exists`);
        throw e;
      });
    // The audit trail names the secret's fields, never their values.
    this.audit(caller, 'storage.target_created', row.id, {
      name: row.name,
      kind: row.kind,
      config: row.config,
      secretFields: Object.keys(secret).filter((k) => secret[k]),
    });
    const added = this.hooks.enqueueForTarget(row.id);
    this.deps.emit('storage.targets.changed', { targetId: row.id });
    if (added > 0) this.hooks.log(`replication: target ${row.id} was given ${added} bundle(s)`);
    return this.toDto(row.id);
  }

  /** Renames a target, replaces its configuration or its secret (write-only). */
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
      const stored = jobCountsOfTarget(this.deps.db, row.id).stored;
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
    if (input.secret !== undefined) {
      this.refuseUnprotected();
      await this.targets.setSecret(row.id, input.secret);
    }
    try {
      this.deps.db.transaction(() => {
        this.targets.update(row.id, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(config !== undefined ? { config } : {}),
        });
        this.audit(caller, 'storage.target_updated', row.id, {
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
      if (isUniqueViolation(e))
        throw new AppError('CONFLICT', `a storage target named ${input.name} already exists`);
      throw e;
    }
    this.deps.emit('storage.targets.changed', { targetId: row.id });
    this.hooks.kick();
    return this.toDto(row.id);
  }

  /** Targets are never deleted: a retired one is disabled; one enabled is given what it lacks. */
  async setEnabled(caller: Caller, id: number, enabled: boolean): Promise<StorageTargetDto> {
    requireRole(caller, ADMIN, 'enabling or disabling a storage target');
    const row = this.target(id);
    if (row.enabled !== enabled) {
      // The switch, its audit entry and the jobs it makes: all or nothing.
      this.deps.db.transaction(() => {
        this.targets.setEnabled(id, enabled);
        this.audit(caller, enabled ? 'storage.target_enabled' : 'storage.target_disabled', id, {
          name: row.name,
        });
        if (enabled) this.hooks.enqueueForTarget(id);
      })();
      this.deps.emit('storage.targets.changed', { targetId: id });
      this.hooks.kick();
    }
    return this.toDto(id);
  }

  /**
   * Puts a small probe folder on the target under a fresh name, reads it back as a bag's
   * copy is checked, and takes it away again: the probe is the one thing on a target this
   * service ever removes. A target that keeps it (a retention lock) says so in the result.
   */
  async test(caller: Caller, targetId: number): Promise<StorageTestResultDto> {
    requireRole(caller, ADMIN, 'testing a storage target');
    const row = this.target(targetId);
    const at = this.deps.now();
    const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const remoteName = `${PROBE_PREFIX}${stamp}-${randomBytes(4).toString('hex')}`;
    const dir = await fsp.mkdtemp(join(tmpdir(), 'attest-probe-'));
    const body = `Attest storage probe / 存储目标测试\n${new Date(at).toISOString()}\n${remoteName}\n`;
    const started = performance.now();
    let target: StorageTarget | null = null;
    let result: StorageTestResultDto;
    try {
      await fsp.writeFile(join(dir, 'attest-probe.txt'), body);
      const size = Buffer.byteLength(body);
      target = await this.hooks.openTarget(targetId);
      const put = await target.put(dir, remoteName);
      const v = await target.verify(remoteName, {
        bagName: remoteName,
        files: [{ path: 'attest-probe.txt', size, sha256: hashBytes(body).sha256 }],
        totalBytes: size,
      });
      const gone = await target.removeProbe(remoteName);
      result = {
        targetId,
        ok: v.ok,
        remoteName,
        removed: gone.removed,
        method: v.method,
        bytes: put.bytesSent,
        durationMs: Math.round(performance.now() - started),
        notes: [
          ...put.notes,
          ...v.notes,
          ...(gone.removed ? [] : [`the probe stays on the target: ${gone.why}`]),
        ],
        error: v.ok ? null : v.problems.map((p) => `${p.path}: ${p.reason}`).join('; '),
      };
    } catch (e) {
      const secret = await this.targets.secretOf(targetId).catch(() => null);
      result = {
        targetId,
        ok: false,
        remoteName,
        removed: false,
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
    this.audit(caller, 'storage.target_tested', targetId, {
      name: row.name,
      ok: result.ok,
      remoteName,
      error: result.error,
    });
    return result;
  }
}
