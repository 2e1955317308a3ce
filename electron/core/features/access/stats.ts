/**
 * What supervision reads of access (`case_id, key, v, at`): each grant approved, by mode, when
 * decided; each party copy, when made.
 */
export const ACCESS_STAT_SQL = {
  grants: `SELECT r.case_id AS case_id, r.mode AS key, 1 AS v, d.decided_at AS at
    FROM access_decisions d JOIN access_requests r ON r.id = d.request_id WHERE d.decision = 'approved'`,
  copies: `SELECT r.case_id AS case_id, NULL AS key, 1 AS v, c.made_at AS at
    FROM party_copies c JOIN copy_requests r ON r.id = c.request_id`,
} as const;
