import type { Migration } from './index';

/**
 * What the interview record's header prints of a person (询问笔录): sex, date of birth,
 * ethnicity, employer and position, beside the name, identity document, address and phone
 * the party record already holds. A resident identity number gives sex and date of birth.
 */
export const migration016: Migration = {
  version: 16,
  name: 'party details for the record header',
  up(db) {
    db.exec(`
      ALTER TABLE parties ADD COLUMN gender TEXT CHECK (gender IS NULL OR gender IN ('male', 'female'));
      ALTER TABLE parties ADD COLUMN birth_date TEXT
        CHECK (birth_date IS NULL OR birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]');
      ALTER TABLE parties ADD COLUMN ethnicity TEXT;
      ALTER TABLE parties ADD COLUMN employer TEXT;
      ALTER TABLE parties ADD COLUMN position TEXT;
    `);
  },
};
