/**
 * A case's filing clock from the record (R5.2): the end of the matter as the documents give it
 * (the last decision issued or execution recorded) and the filing, judged by the shared rule.
 * The case file index, the filing tab, the board and the compliance report all read this one.
 */
import { endOfMatter, filingClock, type FilingClock } from '../../../shared/rules/filing';
import type { Db } from '../../platform/db/database';
import { matterEndFacts, matterEndFactsIn } from '../documents';
import { filingOf } from './store';

export function caseFilingClock(
  db: Db,
  caseId: number,
  policy: { filingDays: number; warnDays: number },
  now: number,
): FilingClock {
  const ends = matterEndFacts(db, caseId);
  return filingClock(
    endOfMatter(ends.decisionsIssuedAt, ends.executedAt),
    filingOf(db, caseId)?.filed_at ?? null,
    policy,
    now,
  );
}

/**
 * The filing clock of every case `caseIdsSql` selects (`id`) whose matter has ended, at once,
 * for supervision: the same rule as {@link caseFilingClock}, its facts read in two queries.
 */
export function filingClocksIn(
  db: Db,
  caseIdsSql: string,
  params: Record<string, unknown>,
  policy: { filingDays: number; warnDays: number },
  now: number,
): Map<number, FilingClock> {
  const filed = new Map(
    (
      db
        .prepare(`SELECT case_id, filed_at FROM case_filings WHERE case_id IN (${caseIdsSql})`)
        .all(params) as { case_id: number; filed_at: number }[]
    ).map((r) => [r.case_id, r.filed_at]),
  );
  const out = new Map<number, FilingClock>();
  for (const [caseId, ends] of matterEndFactsIn(db, caseIdsSql, params))
    out.set(
      caseId,
      filingClock(
        endOfMatter(ends.decisionsIssuedAt, ends.executedAt),
        filed.get(caseId) ?? null,
        policy,
        now,
      ),
    );
  return out;
}
