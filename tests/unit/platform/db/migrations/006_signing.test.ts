import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

const TOKEN = 'k'.repeat(43);
const HASH = 'a'.repeat(64);

function at6() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = OFF'); // fixture rows without their parents
  migrate(db, 5);
  migrate(db, 6);
  expect(schemaVersion(db)).toBe(6);
  return db;
}

function open(db: Database.Database, sessionId = 1, token = TOKEN, doc = 'doc-1'): number {
  return Number(
    db
      .prepare(
        `INSERT INTO signings (session_id, document_id, token, closing_text, opened_by, opened_at)
         VALUES (?, ?, ?, '以上笔录我看过，和我说的相符', 1, 0)`,
      )
      .run(sessionId, doc, token).lastInsertRowid,
  );
}

function version(db: Database.Database, signingId: number, v = 1) {
  db.prepare(
    `INSERT INTO signing_versions (signing_id, version, transcript_seq, turns_hash, content_hash,
       page_count, transcript, frozen_at, frozen_by) VALUES (?, ?, 3, ?, ?, 2, '{}', 0, 1)`,
  ).run(signingId, v, HASH, HASH);
}

const act = (db: Database.Database, cols: string, values: string) =>
  db
    .prepare(
      `INSERT INTO signing_acts (signing_id, version, via, data, at, at_ms, ${cols})
       VALUES (1, 1, 'tablet', '{}', 0, 0, ${values})`,
    )
    .run();

describe('migration 006: signing', () => {
  it('adds the signings, frozen versions and acts to a version-5 store', () => {
    const db = at6();
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['signings', 'signing_versions', 'signing_acts']),
    );
  });

  it('allows one unfinished and one finished signing per session, never deleted', () => {
    const db = at6();
    const id = open(db);
    expect(() => open(db, 1, 'x'.repeat(43), 'doc-2')).toThrow(/UNIQUE/);
    expect(() => open(db, 2, TOKEN, 'doc-3')).toThrow(/UNIQUE/); // tokens are unique
    expect(() => open(db, 2, 'short', 'doc-3')).toThrow(/CHECK/);
    // Finishing needs the file's path and hashes.
    expect(() =>
      db.prepare("UPDATE signings SET state = 'finished', finished_at = 1 WHERE id = ?").run(id),
    ).toThrow(/CHECK/);
    db.prepare(
      `UPDATE signings SET state = 'finished', finished_at = 1, pdf_path = 'sessions/1/transcript.pdf',
         pdf_sha256 = ?, content_hash = ?, page_count = 2 WHERE id = ?`,
    ).run(HASH, HASH, id);
    expect(() => db.prepare("UPDATE signings SET pdf_path = 'x' WHERE id = ?").run(id)).toThrow(
      /finished signing never changes/,
    );
    expect(() => db.prepare('DELETE FROM signings').run()).toThrow(/never deleted/);
    // A new one may be opened beside the finished one, but never a second finished one.
    const again = open(db, 1, 'y'.repeat(43), 'doc-4');
    expect(() =>
      db
        .prepare(
          `UPDATE signings SET state = 'finished', finished_at = 1, pdf_path = 'p', pdf_sha256 = ?,
             content_hash = ?, page_count = 1 WHERE id = ?`,
        )
        .run(HASH, HASH, again),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare('UPDATE signings SET token = ? WHERE id = ?').run('z'.repeat(43), again),
    ).toThrow(/never changes/);
  });

  it('never takes a refusal back', () => {
    const db = at6();
    const id = open(db);
    db.prepare("UPDATE signings SET state = 'refused' WHERE id = ?").run(id);
    expect(() => db.prepare("UPDATE signings SET state = 'open' WHERE id = ?").run(id)).toThrow(
      /refusal is never taken back/,
    );
  });

  it('keeps frozen versions and acts append-only, each act shaped by its kind', () => {
    const db = at6();
    version(db, open(db));
    expect(() => db.prepare("UPDATE signing_versions SET transcript = '[]'").run()).toThrow(
      /never changes/,
    );
    expect(() => db.prepare('DELETE FROM signing_versions').run()).toThrow(/never deleted/);

    act(db, 'kind, page', "'view', 1");
    act(db, 'kind, page, handwriting', `'page', 1, '{"strokes":[]}'`);
    act(db, 'kind, correction_id, handwriting', `'initials', 'a1.1', '{}'`);
    act(db, 'kind, officer_id, handwriting', `'officer', 3, '{}'`);
    expect(() => act(db, 'kind', "'view'")).toThrow(/CHECK/); // a view names its page
    expect(() => act(db, 'kind, page', "'page', 1")).toThrow(/CHECK/); // a signature has ink
    expect(() => act(db, 'kind, handwriting', `'officer', '{}'`)).toThrow(/CHECK/);
    expect(() => act(db, 'kind, handwriting', `'seam', 'not json'`)).toThrow(/CHECK/);
    expect(() => act(db, 'kind', "'erase'")).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE signing_acts SET data = \'{"x":1}\'').run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM signing_acts').run()).toThrow(/append-only/);
  });
});
