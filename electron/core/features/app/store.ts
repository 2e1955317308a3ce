/** The app feature's table: the agency's settings. */
import type { Db } from '../../platform/db/database';

export type AgencySettingKey = 'time_zone';

export function agencySetting(db: Db, key: AgencySettingKey): string | null {
  const r = db.prepare('SELECT value FROM agency_settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return r?.value ?? null;
}

export function setAgencySetting(
  db: Db,
  key: AgencySettingKey,
  value: string | null,
  at: number,
  by: number,
): void {
  if (value === null) db.prepare('DELETE FROM agency_settings WHERE key = ?').run(key);
  else
    db.prepare(
      `INSERT INTO agency_settings (key, value, set_at, set_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_at = excluded.set_at, set_by = excluded.set_by`,
    ).run(key, value, at, by);
}
