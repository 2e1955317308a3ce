import type { Migration } from './index';

/**
 * The particulars of a participant who is not a party of the case (a witness questioned, say):
 * identity document, sex, date of birth, employer, address, phone, as a party record holds
 * them, so the record's header prints them for whoever is questioned.
 */
export const migration022: Migration = {
  version: 22,
  name: 'participant particulars',
  up(db) {
    db.exec(`
      ALTER TABLE session_participants ADD COLUMN particulars TEXT
        CHECK (particulars IS NULL OR (json_valid(particulars) AND party_id IS NULL));
    `);
  },
};
