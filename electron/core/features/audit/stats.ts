/** What supervision reads of the audit trail: each sealed file opened (`case_id, key, v, at`). */
export const VIEW_STAT_SQL = `SELECT case_id, NULL AS key, 1 AS v, at FROM events
  WHERE action = 'bundle.file_read' AND case_id IS NOT NULL`;
