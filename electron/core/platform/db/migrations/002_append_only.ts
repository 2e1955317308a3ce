import type { Migration } from './index';

/** Tables whose rows are never deleted (R4.3): a record may change state, never disappear. */
export const NEVER_DELETED = [
  'officers',
  'users',
  'cases',
  'parties',
  'case_officers',
  'approvals',
  'phase_changes',
  'sessions',
  'session_officers',
  'session_participants',
  'devices',
] as const;

/**
 * Guards in the database itself, so no code path (nor a hand-run SQL statement through the
 * app's connection) can delete a record or rewrite the audit trail.
 */
export const migration002: Migration = {
  version: 2,
  name: 'append-only guards',
  up(db) {
    for (const table of NEVER_DELETED) {
      db.exec(`
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, 'records are never deleted (${table})'); END;
      `);
    }
    db.exec(`
      CREATE TRIGGER events_no_update BEFORE UPDATE ON events
      BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      -- Approvals and phase changes are statements made at a moment: never rewritten.
      CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
      BEGIN SELECT RAISE(ABORT, 'an approval is never rewritten'); END;
      CREATE TRIGGER phase_changes_no_update BEFORE UPDATE ON phase_changes
      BEGIN SELECT RAISE(ABORT, 'a phase change is never rewritten'); END;
    `);
  },
};
