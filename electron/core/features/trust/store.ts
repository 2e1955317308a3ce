/** The trust feature's tables: the agency certificate register and the trust settings. */
import type { Db } from '../../platform/db/database';

export interface RegisterRow {
  id: number;
  kind: 'ca' | 'workstation';
  fingerprint_sha256: string;
  subject: string;
  not_before: number;
  not_after: number;
  der: Buffer;
  added_at: number;
  added_by: number;
  withdrawn_at: number | null;
  withdrawn_by: number | null;
  withdrawn_reason: string | null;
}

export function registerRows(db: Db): RegisterRow[] {
  return db.prepare('SELECT * FROM trust_register ORDER BY id').all() as RegisterRow[];
}

export function registerRow(db: Db, id: number): RegisterRow | undefined {
  return db.prepare('SELECT * FROM trust_register WHERE id = ?').get(id) as RegisterRow | undefined;
}

export function insertRegisterEntry(
  db: Db,
  e: Omit<RegisterRow, 'id' | 'withdrawn_at' | 'withdrawn_by' | 'withdrawn_reason'>,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO trust_register
           (kind, fingerprint_sha256, subject, not_before, not_after, der, added_at, added_by)
         VALUES (@kind, @fingerprint_sha256, @subject, @not_before, @not_after, @der, @added_at, @added_by)`,
      )
      .run(e).lastInsertRowid,
  );
}

export function withdrawRegisterEntry(
  db: Db,
  id: number,
  w: { at: number; by: number; reason: string },
): boolean {
  return (
    db
      .prepare(
        `UPDATE trust_register SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?
         WHERE id = ? AND withdrawn_at IS NULL`,
      )
      .run(w.at, w.by, w.reason, id).changes === 1
  );
}

export type TrustSettingKey = 'tsa_url' | 'plain_secrets_accepted';

/** A setting with who set it and when. */
export function trustSettingRow(
  db: Db,
  key: TrustSettingKey,
): { value: string; set_at: number; set_by: number } | undefined {
  return db.prepare('SELECT value, set_at, set_by FROM trust_settings WHERE key = ?').get(key) as
    { value: string; set_at: number; set_by: number } | undefined;
}

export function trustSetting(db: Db, key: TrustSettingKey): string | null {
  const r = db.prepare('SELECT value FROM trust_settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return r?.value ?? null;
}

export function setTrustSetting(
  db: Db,
  key: TrustSettingKey,
  value: string | null,
  at: number,
  by: number,
): void {
  if (value === null) db.prepare('DELETE FROM trust_settings WHERE key = ?').run(key);
  else
    db.prepare(
      `INSERT INTO trust_settings (key, value, set_at, set_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_at = excluded.set_at, set_by = excluded.set_by`,
    ).run(key, value, at, by);
}
