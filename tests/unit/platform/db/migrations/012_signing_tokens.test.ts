import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../../electron/core/platform/db/migrations';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

describe('migration 012: signing surfaces by hashed tokens', () => {
  it('moves the tokens of signings already opened to hashes, finished ones too, and keeps their guards', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF'); // fixture rows without their sessions and users
    migrate(db, 11);
    const open = 'o'.repeat(43);
    const done = 'd'.repeat(43);
    db.prepare(
      `INSERT INTO signings (id, session_id, document_id, token, closing_text, opened_by, opened_at)
       VALUES (1, 1, 'doc-1', ?, '以上笔录我看过', 7, 100), (2, 2, 'doc-2', ?, '以上笔录我看过', 8, 200)`,
    ).run(open, done);
    db.prepare(
      `UPDATE signings SET state = 'finished', finished_at = 300, pdf_path = 'x.pdf',
         pdf_sha256 = ?, content_hash = ?, page_count = 2 WHERE id = 2`,
    ).run('a'.repeat(64), 'b'.repeat(64));
    migrate(db, 12);
    expect(schemaVersion(db)).toBe(12);
    expect(db.prepare('SELECT id, token FROM signings ORDER BY id').all()).toEqual([
      { id: 1, token: `sha256:${sha(open)}` },
      { id: 2, token: `sha256:${sha(done)}` },
    ]);
    expect(
      db
        .prepare(
          'SELECT signing_id, surface, token_sha256, issued_at, issued_by, revoked_at FROM signing_tokens ORDER BY signing_id',
        )
        .all(),
    ).toEqual([
      {
        signing_id: 1,
        surface: 'page',
        token_sha256: sha(open),
        issued_at: 100,
        issued_by: 7,
        revoked_at: null,
      },
      {
        signing_id: 2,
        surface: 'page',
        token_sha256: sha(done),
        issued_at: 200,
        issued_by: 8,
        revoked_at: null,
      },
    ]);
    // The plain tokens are nowhere in the store.
    const dump = JSON.stringify(db.prepare('SELECT * FROM signings').all());
    expect(dump).not.toContain(open);
    // The guards are back: a signing's identity and a finished signing never change.
    expect(() => db.prepare("UPDATE signings SET token = 'z' WHERE id = 1").run()).toThrow(
      /never changes/,
    );
    expect(() => db.prepare("UPDATE signings SET closing_text = 'z' WHERE id = 2").run()).toThrow(
      /never changes/,
    );
  });
});
