import type { Migration } from './index';

/**
 * The agency's working-day calendar: statutory holidays that fall on weekdays and weekend days
 * made working days (调休). Periods of the Administrative Penalty Law are counted in working
 * days (行政处罚法 第八十五条); the State Council publishes the holidays each year, and the
 * administrator enters them here.
 */
export const migration021: Migration = {
  version: 21,
  name: 'agency calendar',
  up(db) {
    db.exec(`
      CREATE TABLE agency_calendar (
        day TEXT PRIMARY KEY CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
        note TEXT,
        set_at INTEGER NOT NULL,
        set_by INTEGER NOT NULL REFERENCES users(id)
      );
    `);
  },
};
