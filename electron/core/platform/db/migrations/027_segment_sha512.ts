import type { Migration } from './index';

/**
 * Each media file's SHA-512 as the sink wrote it, beside its SHA-256: the bag's manifest takes
 * it, so sealing reads each file once (to check its SHA-256) instead of hashing it again. And
 * which encoder made a picture file: the machine's hardware encoder, or software.
 */
export const migration027: Migration = {
  version: 27,
  name: 'segment sha512 and encoder',
  up(db) {
    db.exec(`
      ALTER TABLE media_segments ADD COLUMN sha512 TEXT
        CHECK (sha512 IS NULL OR length(sha512) = 128);
      ALTER TABLE media_segments ADD COLUMN encoder TEXT
        CHECK (encoder IS NULL OR encoder IN ('hardware', 'software'));
    `);
  },
};
