import type { Migration } from './index';

/**
 * Every participant of a hearing reviews and signs the record in turn (R2.3): each act of the
 * party's surface names whose it is (0 the one questioned, 1… the others in the order the
 * record lists them). Initials at a correction are the first signer's only; officers' acts
 * belong to no signer.
 */
export const migration017: Migration = {
  version: 17,
  name: 'signers in turn',
  up(db) {
    db.exec(`
      ALTER TABLE signing_acts ADD COLUMN signer INTEGER NOT NULL DEFAULT 0
        CHECK (signer >= 0 AND signer <= 64
          AND (signer = 0 OR kind IN ('view', 'page', 'seam', 'closing', 'refusal')));
    `);
  },
};
