/** The guide feature's table: the phrase guide's versions. */
import type { Db } from '../../platform/db/database';

export interface GuideRow {
  version: number;
  entries: string;
  note: string | null;
  set_by: number;
  set_at: number;
}

export function latestGuide(db: Db): GuideRow | undefined {
  return db.prepare('SELECT * FROM phrase_guides ORDER BY version DESC LIMIT 1').get() as
    GuideRow | undefined;
}

export function insertGuide(db: Db, g: Omit<GuideRow, 'version'>): number {
  return Number(
    db
      .prepare('INSERT INTO phrase_guides (entries, note, set_by, set_at) VALUES (?, ?, ?, ?)')
      .run(g.entries, g.note, g.set_by, g.set_at).lastInsertRowid,
  );
}

export function latestAvList(db: Db): GuideRow | undefined {
  return db.prepare('SELECT * FROM av_matters_lists ORDER BY version DESC LIMIT 1').get() as
    GuideRow | undefined;
}

export function insertAvList(db: Db, g: Omit<GuideRow, 'version'>): number {
  return Number(
    db
      .prepare('INSERT INTO av_matters_lists (entries, note, set_by, set_at) VALUES (?, ?, ?, ?)')
      .run(g.entries, g.note, g.set_by, g.set_at).lastInsertRowid,
  );
}
