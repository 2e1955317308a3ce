import type { Migration } from './index';

/**
 * Each media file's SHA-512 as the sink wrote it, beside its SHA-256: the bag's manifest takes
 * it, so sealing reads each file once (to check its SHA-256) instead of hashing it again.
 */
export const migration027: Migration = {
  version: 27,
  name: 'segment sha512',
  up(db) {
    db.exec(`
      ALTER TABLE media_segments ADD COLUMN sha512 TEXT
        CHECK (sha512 IS NULL OR length(sha512) = 128);
    `);
  },
};
