/**
 * What supervision reads of the sessions and their timelines. `SESSION_SCOPE_SQL` is the
 * sessions whose recording started in [`@from`, `@to`); each source yields
 * `session_id, key, v` for the sessions it counts.
 */
export const SESSION_SCOPE_SQL =
  'SELECT id, case_id FROM sessions WHERE started_at >= @from AND started_at < @to';

export const SESSION_STAT_SQL = {
  byKind: 'SELECT id AS session_id, kind AS key, 1 AS v FROM sessions',
  /** From the start of the recording to its end, in ms (sessions still recording count later). */
  recordingTime:
    'SELECT id AS session_id, NULL AS key, ended_at - started_at AS v FROM sessions WHERE ended_at IS NOT NULL',
  interruptions: `SELECT session_id, COALESCE(json_extract(data, '$.reason'), 'unknown') AS key, 1 AS v
    FROM session_events WHERE kind = 'session.interrupted'`,
  abandoned: `SELECT session_id, NULL AS key, 1 AS v FROM session_events WHERE kind = 'session.abandoned'`,
} as const;
