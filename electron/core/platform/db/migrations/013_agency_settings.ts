import type { Migration } from './index';

/**
 * The agency's own settings, one row each, replaced as a whole; each change is in the audit
 * trail. `time_zone` is the IANA zone every time the app shows or prints is in (sessions
 * record the zone they started in, so a later change never moves a recording's times);
 * without a row the machine's zone applies. `devices.role`: a device's registered 用途.
 */
export const migration013: Migration = {
  version: 13,
  name: 'agency settings and device roles',
  up(db) {
    db.exec(`
      CREATE TABLE agency_settings (
        key TEXT PRIMARY KEY CHECK (key IN ('time_zone')),
        value TEXT NOT NULL,
        set_at INTEGER NOT NULL,
        set_by INTEGER NOT NULL REFERENCES users(id)
      );

      -- What a registered device is set up to show or hear (用途): the pre-flight check
      -- proposes it for the source the device is mapped to.
      ALTER TABLE devices ADD COLUMN role TEXT CHECK (role IS NULL OR role IN (
        'interviewee_closeup', 'room_wide', 'desk_document', 'hearing_bench', 'ambient', 'other'
      ));
    `);
  },
};
