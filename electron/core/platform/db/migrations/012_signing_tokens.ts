import { createHash } from 'node:crypto';
import type { Migration } from './index';

/**
 * The party's signing surfaces by their tokens, kept only as SHA-256 hashes: whoever reads
 * the case store cannot act as the party. Each surface (the signing page on the pen display
 * or a browser, a paired LAN tablet) gets its own token; a new one of the same surface
 * revokes the one before, and each act records which surface made it.
 *
 * Signings opened before this version kept their page's token in `signings.token`: it moves
 * here as a hash, and that column keeps only `sha256:<hash>` (the one change to a signing's
 * identity ever made: its guards are dropped and made again, unchanged, around it).
 */
export const migration012: Migration = {
  version: 12,
  name: 'signing surfaces by hashed tokens',
  up(db) {
    db.function('attest_sha256', { deterministic: true }, (text: unknown) =>
      createHash('sha256').update(String(text)).digest('hex'),
    );
    db.exec(`
      CREATE TABLE signing_tokens (
        id INTEGER PRIMARY KEY,
        signing_id INTEGER NOT NULL REFERENCES signings(id),
        surface TEXT NOT NULL CHECK (surface IN ('page', 'lan-tablet')),
        token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
        issued_at INTEGER NOT NULL,
        issued_by INTEGER REFERENCES users(id),
        revoked_at INTEGER,
        CHECK (revoked_at IS NULL OR revoked_at >= issued_at)
      );
      CREATE INDEX signing_tokens_signing ON signing_tokens(signing_id, surface);
      CREATE TRIGGER signing_tokens_no_delete BEFORE DELETE ON signing_tokens
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (signing tokens)'); END;
      CREATE TRIGGER signing_tokens_revoke_once BEFORE UPDATE ON signing_tokens
      WHEN OLD.revoked_at IS NOT NULL
        OR NEW.id IS NOT OLD.id OR NEW.signing_id IS NOT OLD.signing_id
        OR NEW.surface IS NOT OLD.surface OR NEW.token_sha256 IS NOT OLD.token_sha256
        OR NEW.issued_at IS NOT OLD.issued_at OR NEW.issued_by IS NOT OLD.issued_by
      BEGIN SELECT RAISE(ABORT, 'a signing token is only ever revoked, once'); END;

      INSERT INTO signing_tokens (signing_id, surface, token_sha256, issued_at, issued_by)
        SELECT id, 'page', attest_sha256(token), opened_at, opened_by FROM signings
        WHERE token NOT LIKE 'sha256:%';
      DROP TRIGGER signings_identity;
      DROP TRIGGER signings_finished;
      UPDATE signings SET token = 'sha256:' || attest_sha256(token)
        WHERE token NOT LIKE 'sha256:%';
      CREATE TRIGGER signings_identity BEFORE UPDATE OF
        id, session_id, document_id, token, closing_text, opened_by, opened_at ON signings
      BEGIN SELECT RAISE(ABORT, 'what identifies a signing never changes'); END;
      CREATE TRIGGER signings_finished BEFORE UPDATE ON signings WHEN OLD.state = 'finished'
      BEGIN SELECT RAISE(ABORT, 'a finished signing never changes'); END;
    `);
  },
};
