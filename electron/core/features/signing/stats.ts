/** What supervision reads of the signings: each refusal to sign (`session_id, key, v`). */
export const REFUSAL_STAT_SQL = `SELECT s.session_id AS session_id, NULL AS key, 1 AS v
  FROM signing_acts a JOIN signings s ON s.id = a.signing_id WHERE a.kind = 'refusal'`;
