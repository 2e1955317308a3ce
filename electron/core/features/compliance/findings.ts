/**
 * Each sealed session's compliance findings, as sealed in its bag (`data/compliance.json`):
 * kept row by row so supervision counts them (R6.4) without opening every bag.
 */
import type { ComplianceReport } from '../../../shared/rules/compliance';
import type { Db } from '../../platform/db/database';

/** Records the findings sealed with a bundle. Call inside the transaction that seals it. */
export function recordSealedFindings(
  db: Db,
  bundleId: number,
  sessionId: number,
  report: ComplianceReport,
): void {
  const insert = db.prepare(
    'INSERT INTO compliance_findings (bundle_id, item, session_id, rule, status) VALUES (?, ?, ?, ?, ?)',
  );
  report.items.forEach((item, i) => insert.run(bundleId, i, sessionId, item.rule, item.status));
}

/**
 * Statistics source: per sealed session, `missing` when any of the given rules was sealed
 * missing, else `overridden` when any was overridden; sessions with the rules met are left out.
 */
export function findingsStatSql(rules: readonly string[]): string {
  const list = rules.map((r) => `'${r.replace(/'/g, "''")}'`).join(', ');
  return `SELECT session_id, CASE WHEN SUM(status = 'missing') > 0 THEN 'missing' ELSE 'overridden' END AS key, 1 AS v
    FROM compliance_findings WHERE rule IN (${list}) AND status <> 'met' GROUP BY session_id`;
}
