import type { Migration } from './index';

/**
 * The agency's certificate register and the workstation's trust settings.
 *
 * `trust_register`: the certificates the agency vouches with: its CAs (a seal whose signer
 * chains to one is the agency's) and single workstation certificates it accepts. An entry is
 * never deleted or changed; it may be withdrawn once (from then on it vouches for nothing
 * signed later), with who, when and why.
 *
 * `disc_images.register_sha256`: the register a disc carries.
 *
 * `trust_settings`: one row per setting (the time-stamping authority's address; the
 * administrator's acceptance of plain secret storage where there is no OS keystore),
 * replaced as a whole; each change is in the audit trail.
 */
export const migration011: Migration = {
  version: 11,
  name: 'agency certificate register and trust settings',
  up(db) {
    db.exec(`
      CREATE TABLE trust_register (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('ca', 'workstation')),
        fingerprint_sha256 TEXT NOT NULL UNIQUE CHECK (length(fingerprint_sha256) = 64),
        subject TEXT NOT NULL,
        not_before INTEGER NOT NULL,
        not_after INTEGER NOT NULL,
        der BLOB NOT NULL,
        added_at INTEGER NOT NULL,
        added_by INTEGER NOT NULL REFERENCES users(id),
        withdrawn_at INTEGER,
        withdrawn_by INTEGER REFERENCES users(id),
        withdrawn_reason TEXT,
        CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)),
        CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
      );
      CREATE TRIGGER trust_register_no_delete BEFORE DELETE ON trust_register
      BEGIN SELECT RAISE(ABORT, 'the certificate register is append-only'); END;
      CREATE TRIGGER trust_register_withdraw_once BEFORE UPDATE ON trust_register
      WHEN OLD.withdrawn_at IS NOT NULL
        OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind
        OR NEW.fingerprint_sha256 IS NOT OLD.fingerprint_sha256
        OR NEW.subject IS NOT OLD.subject OR NEW.der IS NOT OLD.der
        OR NEW.not_before IS NOT OLD.not_before OR NEW.not_after IS NOT OLD.not_after
        OR NEW.added_at IS NOT OLD.added_at OR NEW.added_by IS NOT OLD.added_by
      BEGIN SELECT RAISE(ABORT, 'a register entry is only ever withdrawn, once'); END;

      CREATE TABLE trust_settings (
        key TEXT PRIMARY KEY CHECK (key IN ('tsa_url', 'plain_secrets_accepted')),
        value TEXT NOT NULL,
        set_at INTEGER NOT NULL,
        set_by INTEGER NOT NULL REFERENCES users(id)
      );

      -- Each disc image carries the register as it was when the image was made; the label
      -- prints its SHA-256 so a reader can tell the register on the disc is the agency's.
      ALTER TABLE disc_images ADD COLUMN register_sha256 TEXT;
    `);
  },
};
