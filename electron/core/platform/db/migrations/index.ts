import type Database from 'better-sqlite3';
import { migration001 } from './001_case_store';
import { migration002 } from './002_append_only';
import { migration003 } from './003_transcripts';
import { migration004 } from './004_replication';
import { migration005 } from './005_recording';
import { migration006 } from './006_signing';
import { migration007 } from './007_sealing';
import { migration008 } from './008_discs';
import { migration009 } from './009_officer_accounts';
import { migration010 } from './010_audit_sequence';
import { migration011 } from './011_trust_register';
import { migration012 } from './012_signing_tokens';
import { migration013 } from './013_agency_settings';
import { migration014 } from './014_audit_indexes';
import { migration015 } from './015_access';
import { migration016 } from './016_party_details';
import { migration017 } from './017_signers_in_turn';
import { migration018 } from './018_hearing_reports';
import { migration019 } from './019_hearing_procedure';
import { migration020 } from './020_inspection_subject';
import { migration021 } from './021_agency_calendar';
import { migration022 } from './022_participant_particulars';
import { migration023 } from './023_case_documents';
import { migration024 } from './024_phrase_guide';
import { migration025 } from './025_av_matters_list';
import { migration026 } from './026_supervision';
import { migration027 } from './027_segment_sha512';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Numbered migrations, applied in order, each in its own transaction. Never edit one that shipped. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
  migration020,
  migration021,
  migration022,
  migration023,
  migration024,
  migration025,
  migration026,
  migration027,
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** The schema version this build of Attest writes. */
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Applies every migration above the database's `user_version`, up to `target`. */
export function migrate(db: Database.Database, target = LATEST_VERSION): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new Error(
      `the case store has schema version ${current}, newer than this Attest (${LATEST_VERSION}); refusing to open it`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
