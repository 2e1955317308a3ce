import { createHash } from 'node:crypto';
import type { Db } from './db/database';
import type { AuditEventDto } from '../../shared/domain';
import type { AuditAction, AuditEntity } from '../../shared/audit-actions';

export const GENESIS_HASH = '0'.repeat(64);

/** What the audit viewer filters by; entries come newest first, a page at a time. */
export interface AuditSearch {
  caseId?: number | undefined;
  actorUserId?: number | undefined;
  /** A kind of act: the actions whose code starts with `<kind>.` (e.g. `signing`). */
  kind?: string | undefined;
  /** From and to (UTC ms, inclusive). */
  from?: number | undefined;
  to?: number | undefined;
  /** Entries before this sequence number (the page after the one ending there). */
  before?: number | undefined;
  limit: number;
}

function toDto(r: EventRow): AuditEventDto {
  return {
    seq: r.seq,
    at: r.at,
    actorUserId: r.actor_user_id,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    caseId: r.case_id,
    data: JSON.parse(r.data) as unknown,
    hash: r.hash,
  };
}

export interface AuditEntry {
  at: number;
  actorUserId: number | null;
  /** Display name of the actor at the time (kept even if the user is renamed later). */
  actor: string | null;
  /** Dotted verb, e.g. `case.created`, from the one list of actions. */
  action: AuditAction;
  entity: AuditEntity;
  entityId: number | null;
  caseId: number | null;
  /** What changed. Never contains secrets (password hashes, tokens). */
  data: unknown;
}

interface EventRow {
  seq: number;
  at: number;
  actor_user_id: number | null;
  actor: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  case_id: number | null;
  data: string;
  prev_hash: string;
  hash: string;
}

/** The hash of one entry: SHA-256 over a fixed-order JSON array of its fields and the previous hash. */
export function entryHash(row: Omit<EventRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.prev_hash,
    row.seq,
    row.at,
    row.actor_user_id,
    row.actor,
    row.action,
    row.entity,
    row.entity_id,
    row.case_id,
    row.data,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The append-only, hash-chained audit trail. `append` must run inside the same transaction
 * as the change it records, so a change and its record are committed together or not at all.
 */
export class AuditLog {
  constructor(private readonly db: Db) {}

  append(entry: AuditEntry): number {
    const last = this.db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    const row: Omit<EventRow, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      at: entry.at,
      actor_user_id: entry.actorUserId,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      case_id: entry.caseId,
      data: JSON.stringify(entry.data ?? null),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(row);
    this.db
      .prepare(
        `INSERT INTO events (seq, at, actor_user_id, actor, action, entity, entity_id, case_id, data, prev_hash, hash)
         VALUES (@seq, @at, @actor_user_id, @actor, @action, @entity, @entity_id, @case_id, @data, @prev_hash, @hash)`,
      )
      .run({ ...row, hash });
    return row.seq;
  }

  list(filter: {
    entity?: string | undefined;
    entityId?: number | undefined;
    caseId?: number | undefined;
    limit?: number | undefined;
    /** Only entries of these cases, or made by this account (a reader who supervises nothing). */
    visibleTo?: { caseIds: readonly number[]; userId: number } | undefined;
  }): AuditEventDto[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit ?? 100 };
    if (filter.visibleTo) {
      where.push(
        `(actor_user_id = @me OR case_id IN (SELECT value FROM json_each(@visibleCases)))`,
      );
      params.me = filter.visibleTo.userId;
      params.visibleCases = JSON.stringify(filter.visibleTo.caseIds);
    }
    if (filter.entity !== undefined) {
      where.push('entity = @entity');
      params.entity = filter.entity;
    }
    if (filter.entityId !== undefined) {
      where.push('entity_id = @entityId');
      params.entityId = filter.entityId;
    }
    if (filter.caseId !== undefined) {
      where.push('case_id = @caseId');
      params.caseId = filter.caseId;
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`,
      )
      .all(params) as EventRow[];
    return rows.map(toDto);
  }

  /**
   * A page of the trail, newest first, and where the next page starts (null at the end).
   * Each filter has an index on (column, seq), so a page is read in index order.
   */
  search(f: AuditSearch): { entries: AuditEventDto[]; next: number | null } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: f.limit + 1 };
    if (f.caseId !== undefined) {
      where.push('case_id = @caseId');
      params.caseId = f.caseId;
    }
    if (f.actorUserId !== undefined) {
      where.push('actor_user_id = @actorUserId');
      params.actorUserId = f.actorUserId;
    }
    if (f.kind !== undefined) {
      where.push('kind = @kind');
      params.kind = f.kind;
    }
    if (f.from !== undefined) {
      where.push('at >= @from');
      params.from = f.from;
    }
    if (f.to !== undefined) {
      where.push('at <= @to');
      params.to = f.to;
    }
    if (f.before !== undefined) {
      where.push('seq < @before');
      params.before = f.before;
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`,
      )
      .all(params) as EventRow[];
    const more = rows.length > f.limit;
    const page = more ? rows.slice(0, f.limit) : rows;
    return { entries: page.map(toDto), next: more ? page.at(-1)!.seq : null };
  }

  /** The last entry's number and hash (0 and the genesis hash for an empty trail). */
  head(): { seq: number; hash: string } {
    const row = this.db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    return row ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Walks the whole chain; returns the first entry whose hash or link does not hold. */
  verify(): { ok: boolean; count: number; brokenAt: number | null } {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db
      .prepare('SELECT * FROM events ORDER BY seq')
      .iterate() as IterableIterator<EventRow>) {
      count++;
      const { hash, ...rest } = row;
      if (row.seq !== expectedSeq || row.prev_hash !== prev || entryHash(rest) !== hash) {
        return { ok: false, count, brokenAt: row.seq };
      }
      prev = hash;
      expectedSeq++;
    }
    return { ok: true, count, brokenAt: null };
  }

  // Queries other features use

  /**
   * Every entry about the given entities (e.g. a session and its signings), in chain order,
   * with its sequence number and hash so a copy can be checked against the chain.
   */
  entriesAbout(refs: readonly { entity: string; ids: readonly number[] }[]): AuditEventDto[] {
    const clauses = refs.map(
      (r) => `(entity = ? AND entity_id IN (${r.ids.map(() => '?').join(', ') || 'NULL'}))`,
    );
    if (clauses.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM events WHERE ${clauses.join(' OR ')} ORDER BY seq`)
      .all(...refs.flatMap((r) => [r.entity, ...r.ids])) as EventRow[];
    return rows.map(toDto);
  }
}
