import type { Migration } from './index';

/**
 * The agency's own settings, one row each, replaced as a whole; each change is in the audit
 * trail. `time_zone` is the IANA zone every time the app shows or prints is in (sessions
 * record the zone they started in, so a later change never moves a recording's times);
 * without a row the machine's zone applies.
 */
export const migration013: Migration = {
  version: 13,
  name: 'agency settings',
  up(db) {
    db.exec(`
      CREATE TABLE agency_settings (
        key TEXT PRIMARY KEY CHECK (key IN ('time_zone')),
        value TEXT NOT NULL,
        set_at INTEGER NOT NULL,
        set_by INTEGER NOT NULL REFERENCES users(id)
      );
    `);
  },
};
