/** What supervision reads of the discs: each disc made, by its check's result (`case_id, key, v, at`). */
export const DISC_STAT_SQL = `SELECT ds.case_id AS case_id, d.result AS key, 1 AS v, d.made_at AS at
  FROM discs d JOIN disc_sets ds ON ds.id = d.set_id`;
