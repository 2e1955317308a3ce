/**
 * The storage feature's tables: `storage_targets` (where copies go; configuration without
 * secrets), `storage_target_secrets` (one secret per target, kept apart) and
 * `replication_jobs` (one job per bag and target). The only SQL on them.
 */
import type { Db } from '../../platform/db/database';
import type { TargetKind } from './targets/port';

// ---------------------------------------------------------------------------------------
// Targets

export interface TargetRow {
  id: number;
  name: string;
  kind: TargetKind;
  /** Never contains a secret. */
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

interface TargetDbRow {
  id: number;
  name: string;
  kind: TargetKind;
  config: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

function toTarget(r: TargetDbRow): TargetRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    config: JSON.parse(r.config) as Record<string, unknown>,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Adds a target (its configuration already validated); returns its id. */
export function insertTarget(
  db: Db,
  t: { name: string; kind: TargetKind; config: unknown; at: number },
): number {
  return Number(
    db
      .prepare(
        'INSERT INTO storage_targets (name, kind, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(t.name, t.kind, JSON.stringify(t.config), t.at, t.at).lastInsertRowid,
  );
}

export function targetById(db: Db, id: number): TargetRow | undefined {
  const r = db.prepare('SELECT * FROM storage_targets WHERE id = ?').get(id) as
    TargetDbRow | undefined;
  return r ? toTarget(r) : undefined;
}

export function listTargets(db: Db): TargetRow[] {
  return (db.prepare('SELECT * FROM storage_targets ORDER BY id').all() as TargetDbRow[]).map(
    toTarget,
  );
}

export function updateTarget(
  db: Db,
  id: number,
  t: { name: string; config: unknown; at: number },
): void {
  db.prepare('UPDATE storage_targets SET name = ?, config = ?, updated_at = ? WHERE id = ?').run(
    t.name,
    JSON.stringify(t.config),
    t.at,
    id,
  );
}

export function setTargetEnabled(db: Db, id: number, enabled: boolean, at: number): void {
  db.prepare('UPDATE storage_targets SET enabled = ?, updated_at = ? WHERE id = ?').run(
    enabled ? 1 : 0,
    at,
    id,
  );
}

/** Ids of the enabled targets, in the order they were added. */
export function enabledTargetIds(db: Db): number[] {
  return (
    db.prepare('SELECT id FROM storage_targets WHERE enabled = 1 ORDER BY id').all() as {
      id: number;
    }[]
  ).map((r) => r.id);
}

// ---------------------------------------------------------------------------------------
// Secrets

export type SecretProtection = 'none' | 'safe-storage' | 'os-keychain';

/** A target's secret as stored (plain JSON, or protected), or undefined when it has none. */
export function storedSecret(
  db: Db,
  targetId: number,
): { protection: SecretProtection; secret: Buffer } | undefined {
  return db
    .prepare('SELECT protection, secret FROM storage_target_secrets WHERE target_id = ?')
    .get(targetId) as { protection: SecretProtection; secret: Buffer } | undefined;
}

/** Sets (or replaces whole) a target's secret. */
export function putSecret(
  db: Db,
  s: { targetId: number; protection: SecretProtection; secret: Buffer; at: number },
): void {
  db.prepare(
    `INSERT INTO storage_target_secrets (target_id, protection, secret, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (target_id) DO UPDATE SET protection = excluded.protection, secret = excluded.secret, updated_at = excluded.updated_at`,
  ).run(s.targetId, s.protection, s.secret, s.at);
}

// ---------------------------------------------------------------------------------------
// Replication jobs

export type JobState = 'pending' | 'running' | 'stored';
export type FailureKind = 'transfer' | 'verify' | 'config' | 'interrupted';

export interface ReplicationJob {
  id: number;
  bagId: string;
  bagPath: string;
  remoteName: string;
  targetId: number;
  sessionId: number | null;
  state: JobState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  lastFailure: FailureKind | null;
  recordedEndAt: number;
  /** recordedEndAt + 24 h (R4.1). */
  deadlineAt: number;
  retainUntil: number | null;
  bytes: number | null;
  notes: string[];
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  verifiedAt: number | null;
}

interface JobRow {
  id: number;
  bag_id: string;
  bag_path: string;
  remote_name: string;
  target_id: number;
  session_id: number | null;
  state: JobState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_failure: FailureKind | null;
  recorded_end_at: number;
  deadline_at: number;
  retain_until: number | null;
  bytes: number | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  verified_at: number | null;
}

function toJob(r: JobRow): ReplicationJob {
  return {
    id: r.id,
    bagId: r.bag_id,
    bagPath: r.bag_path,
    remoteName: r.remote_name,
    targetId: r.target_id,
    sessionId: r.session_id,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    lastFailure: r.last_failure,
    recordedEndAt: r.recorded_end_at,
    deadlineAt: r.deadline_at,
    retainUntil: r.retain_until,
    bytes: r.bytes,
    notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    verifiedAt: r.verified_at,
  };
}

/** Adds a job, due at `at`; nothing when the bag already has one on the target. */
export function insertJob(
  db: Db,
  j: {
    bagId: string;
    bagPath: string;
    remoteName: string;
    targetId: number;
    sessionId: number | null;
    recordedEndAt: number;
    deadlineAt: number;
    retainUntil: number | null;
    at: number;
  },
): void {
  db.prepare(
    `INSERT INTO replication_jobs
       (bag_id, bag_path, remote_name, target_id, session_id, next_attempt_at, recorded_end_at, deadline_at, retain_until, created_at, updated_at)
     VALUES (@bagId, @bagPath, @remoteName, @targetId, @sessionId, @at, @recordedEndAt, @deadlineAt, @retainUntil, @at, @at)
     ON CONFLICT (bag_id, target_id) DO NOTHING`,
  ).run(j);
}

export function jobById(db: Db, id: number): ReplicationJob | undefined {
  const r = db.prepare('SELECT * FROM replication_jobs WHERE id = ?').get(id) as JobRow | undefined;
  return r ? toJob(r) : undefined;
}

export function jobsOfBag(db: Db, bagId: string): ReplicationJob[] {
  return (
    db.prepare('SELECT * FROM replication_jobs WHERE bag_id = ? ORDER BY id').all(bagId) as JobRow[]
  ).map(toJob);
}

/** Whether the bag has a job on the target. */
export function hasJob(db: Db, bagId: string, targetId: number): boolean {
  return Boolean(
    db
      .prepare('SELECT 1 FROM replication_jobs WHERE bag_id = ? AND target_id = ?')
      .get(bagId, targetId),
  );
}

/** Jobs (of one state, or all), most urgent deadline first. */
export function listJobs(db: Db, state?: JobState): ReplicationJob[] {
  const rows = state
    ? db
        .prepare('SELECT * FROM replication_jobs WHERE state = ? ORDER BY deadline_at, id')
        .all(state)
    : db.prepare('SELECT * FROM replication_jobs ORDER BY deadline_at, id').all();
  return (rows as JobRow[]).map(toJob);
}

/** Pending jobs due by `now` on enabled targets, most urgent deadline first. */
export function dueJobs(db: Db, now: number): ReplicationJob[] {
  return (
    db
      .prepare(
        `SELECT j.* FROM replication_jobs j JOIN storage_targets t ON t.id = j.target_id
         WHERE j.state = 'pending' AND j.next_attempt_at <= ? AND t.enabled = 1
         ORDER BY j.deadline_at, j.next_attempt_at, j.id`,
      )
      .all(now) as JobRow[]
  ).map(toJob);
}

/** The earliest time a pending job becomes due, or null. */
export function nextDueAt(db: Db): number | null {
  const r = db
    .prepare("SELECT min(next_attempt_at) AS t FROM replication_jobs WHERE state = 'pending'")
    .get() as { t: number | null };
  return r.t;
}

/** Jobs left `running` (an attempt the app did not finish) become pending, due at `at`. */
export function requeueRunningJobs(db: Db, at: number): number {
  return db
    .prepare(
      `UPDATE replication_jobs SET state = 'pending', next_attempt_at = ?, updated_at = ?,
         last_failure = 'interrupted', last_error = 'the app stopped during this attempt'
       WHERE state = 'running'`,
    )
    .run(at, at).changes;
}

/** Makes a pending job due at `at`. */
export function makeJobDue(db: Db, id: number, at: number): void {
  db.prepare(
    "UPDATE replication_jobs SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
  ).run(at, at, id);
}

/** Claims a pending job for an attempt (running, one more attempt); false if not pending. */
export function claimJob(db: Db, id: number, at: number): boolean {
  return (
    db
      .prepare(
        `UPDATE replication_jobs SET state = 'running', attempts = attempts + 1, started_at = ?, updated_at = ?
         WHERE id = ? AND state = 'pending'`,
      )
      .run(at, at, id).changes > 0
  );
}

/** The job's copy was read back and matched: stored. */
export function markJobStored(
  db: Db,
  id: number,
  s: { at: number; bytes: number; notes: string[] },
): void {
  db.prepare(
    `UPDATE replication_jobs SET state = 'stored', verified_at = ?, updated_at = ?, bytes = ?, notes = ?,
       last_error = NULL WHERE id = ?`,
  ).run(s.at, s.at, s.bytes, JSON.stringify(s.notes), id);
}

/** The attempt failed: pending again, next due at `nextAttemptAt`. */
export function markJobFailed(
  db: Db,
  id: number,
  f: { at: number; nextAttemptAt: number; error: string; kind: FailureKind },
): void {
  db.prepare(
    `UPDATE replication_jobs SET state = 'pending', next_attempt_at = ?, updated_at = ?, last_error = ?, last_failure = ?
     WHERE id = ?`,
  ).run(f.nextAttemptAt, f.at, f.error, f.kind, id);
}

/** How many of a target's jobs wait and how many are stored. */
export function jobCountsOfTarget(db: Db, targetId: number): { pending: number; stored: number } {
  const r = db
    .prepare(
      `SELECT sum(state <> 'stored') AS pending, sum(state = 'stored') AS stored
       FROM replication_jobs WHERE target_id = ?`,
    )
    .get(targetId) as { pending: number | null; stored: number | null };
  return { pending: r.pending ?? 0, stored: r.stored ?? 0 };
}

/** A job with the name, kind and state of its target. */
export interface JobWithTarget extends ReplicationJob {
  targetName: string;
  targetKind: TargetKind;
  targetEnabled: boolean;
}

/** Every job with its target, most urgent deadline first. */
export function jobsWithTargets(db: Db): JobWithTarget[] {
  return (
    db
      .prepare(
        `SELECT j.*, t.name AS target_name, t.kind AS target_kind, t.enabled AS target_enabled
         FROM replication_jobs j JOIN storage_targets t ON t.id = j.target_id
         ORDER BY j.deadline_at, j.id`,
      )
      .all() as (JobRow & {
      target_name: string;
      target_kind: TargetKind;
      target_enabled: number;
    })[]
  ).map((r) => ({
    ...toJob(r),
    targetName: r.target_name,
    targetKind: r.target_kind,
    targetEnabled: r.target_enabled === 1,
  }));
}

// ---------------------------------------------------------------------------------------
// Queries other features use

/** One replica of a bag: the replication job and the target it goes to. */
export interface BagReplicaRow {
  remoteName: string;
  state: string;
  verifiedAt: number | null;
  deadlineAt: number;
  target: string;
  kind: string;
}

/** The replication jobs of a bag (by any of its bag ids, or its local path), in the order queued. */
export function replicasOfBag(
  db: Db,
  bag: { bagIds: readonly string[]; bagPath: string },
): BagReplicaRow[] {
  return db
    .prepare(
      `SELECT j.remote_name AS remoteName, j.state, j.verified_at AS verifiedAt,
              j.deadline_at AS deadlineAt, t.name AS target, t.kind
       FROM replication_jobs j JOIN storage_targets t ON t.id = j.target_id
       WHERE j.bag_id IN (SELECT value FROM json_each(?)) OR j.bag_path = ? ORDER BY j.id`,
    )
    .all(JSON.stringify(bag.bagIds), bag.bagPath) as BagReplicaRow[];
}
