import type { Migration } from './index';

/**
 * The hearing procedure of a case (行政处罚法 第六十三、六十四条): the notice of the right to a
 * hearing (听证告知书), the party's request or waiver, and the notice of the hearing
 * (听证通知书), each an entry kept as recorded, never changed or deleted (the latest of a kind
 * is in force). And an agent's authority (代理权限) and power of attorney (授权委托书) as a
 * session participant states them.
 */
export const migration019: Migration = {
  version: 19,
  name: 'hearing procedure and agents',
  up(db) {
    db.exec(`
      ALTER TABLE session_participants ADD COLUMN authority TEXT
        CHECK (authority IS NULL OR (role = 'agent' AND authority IN ('general', 'special')));
      ALTER TABLE session_participants ADD COLUMN mandate TEXT
        CHECK (mandate IS NULL OR role = 'agent');

      CREATE TABLE hearing_procedure_entries (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('notice', 'answer', 'summons')),
        data TEXT NOT NULL CHECK (json_valid(data)),
        recorded_by INTEGER NOT NULL REFERENCES users(id),
        recorded_at INTEGER NOT NULL
      );
      CREATE INDEX hearing_procedure_case ON hearing_procedure_entries(case_id, kind, id);
      CREATE TRIGGER hearing_procedure_no_update BEFORE UPDATE ON hearing_procedure_entries
      BEGIN SELECT RAISE(ABORT, 'records are never changed (hearing_procedure_entries)'); END;
      CREATE TRIGGER hearing_procedure_no_delete BEFORE DELETE ON hearing_procedure_entries
      BEGIN SELECT RAISE(ABORT, 'records are never deleted (hearing_procedure_entries)'); END;
    `);
  },
};
