/**
 * The session lifecycle is the one writer of a session's status and timeline: each status
 * moves only forward along planned → recording ⇄ interrupted → ended → sealed, on a real
 * SQLite store at the latest migration.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_STATUSES, type SessionStatus } from '../../../electron/shared/domain';
import { migrate } from '../../../electron/core/platform/db/migrations';
import {
  appendSessionEvent,
  canMove,
  lastSessionEvent,
  markEnded,
  markInterrupted,
  markResumed,
  markSealed,
  markStarted,
} from '../../../electron/core/features/sessions';

let db: Database.Database;

function status(): { status: SessionStatus; started_at: number | null; ended_at: number | null } {
  return db.prepare('SELECT status, started_at, ended_at FROM sessions WHERE id = 1').get() as {
    status: SessionStatus;
    started_at: number | null;
    ended_at: number | null;
  };
}

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db);
  db.prepare(
    `INSERT INTO users (id, username, display_name, password_hash, roles, created_at, password_changed_at) VALUES (1, 'a', 'A', 'x', '["officer"]', 0, 0)`,
  ).run();
  db.prepare(
    `INSERT INTO cases (id, case_no, cause, matter_kind, origin_kind, created_by, created_at, updated_at) VALUES (1, 'N1', 'c', 'penalty', 'ex_officio', 1, 0, 0)`,
  ).run();
  db.prepare(
    `INSERT INTO sessions (id, case_id, kind, status, place, created_by, created_at) VALUES (1, 1, 'interview', 'planned', 'room', 1, 0)`,
  ).run();
});
afterEach(() => db.close());

describe('the session lifecycle', () => {
  it('allows only the forward moves', () => {
    const allowed = SESSION_STATUSES.flatMap((from) =>
      SESSION_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'planned→recording',
      'recording→interrupted',
      'recording→ended',
      'interrupted→recording',
      'interrupted→ended',
      'ended→sealed',
    ]);
  });

  it('walks a session from planned to ended, keeping the start, time zone and end', () => {
    markStarted(db, 1, 1_000, 'Asia/Shanghai');
    expect(status()).toEqual({ status: 'recording', started_at: 1_000, ended_at: null });
    expect(markInterrupted(db, 1)).toBe(true);
    expect(markInterrupted(db, 1)).toBe(false);
    markResumed(db, 1);
    markEnded(db, 1, 9_000);
    expect(status()).toEqual({ status: 'ended', started_at: 1_000, ended_at: 9_000 });
    // The last step is allowed here, and the store itself still insists on the bundle.
    expect(() => markSealed(db, 1)).toThrow(/sealed only with its sealed bundle/);
    expect(status().status).toBe('ended');
  });

  it('refuses a move back or a skipped step, and changes nothing', () => {
    expect(() => markEnded(db, 1, 5)).toThrow(/the session is planned/);
    expect(() => markSealed(db, 1)).toThrow(/the session is planned/);
    markStarted(db, 1, 1_000, 'UTC');
    expect(() => markStarted(db, 1, 2_000, 'UTC')).toThrow(/the session is recording/);
    expect(() => markResumed(db, 1)).toThrow(/the session is recording/);
    expect(status()).toEqual({ status: 'recording', started_at: 1_000, ended_at: null });
    expect(() => markStarted(db, 2, 0, 'UTC')).toThrow(/no session 2/);
  });

  it('keeps timeline events on the session clock and finds the latest of a kind', () => {
    markStarted(db, 1, 1_000, 'UTC');
    appendSessionEvent(db, {
      sessionId: 1,
      startedAt: 1_000,
      at: 3_500,
      kind: 'session.interrupted',
      data: { stoppedAt: 3_000 },
    });
    appendSessionEvent(db, {
      sessionId: 1,
      startedAt: 1_000,
      at: 4_000,
      kind: 'session.interrupted',
      data: { stoppedAt: 3_900 },
    });
    const rows = db
      .prepare('SELECT at, at_us, kind FROM session_events WHERE session_id = 1 ORDER BY id')
      .all();
    expect(rows).toEqual([
      { at: 3_500, at_us: 2_500_000, kind: 'session.interrupted' },
      { at: 4_000, at_us: 3_000_000, kind: 'session.interrupted' },
    ]);
    expect(lastSessionEvent(db, 1, 'session.interrupted')).toEqual({ stoppedAt: 3_900 });
    expect(lastSessionEvent(db, 1, 'session.resumed')).toBeNull();
  });
});
