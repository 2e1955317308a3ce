/**
 * A case's filing clock from the record (R5.2): the end of the matter as the documents give it
 * (the last decision issued or execution recorded) and the filing, judged by the shared rule.
 * The case file index, the filing tab, the board and the compliance report all read this one.
 */
import { endOfMatter, filingClock, type FilingClock } from '../../../shared/rules/filing';
import type { Db } from '../../platform/db/database';
import { matterEndFacts } from '../documents';
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
