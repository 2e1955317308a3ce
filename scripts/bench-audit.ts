/**
 * The audit viewer on a long trail: a million entries, filtered and paged.
 *
 *   npm run bench:audit [-- --entries 1000000]
 *
 * Builds a case store on a temporary directory with the app's migrations and appends
 * `--entries` hash-chained entries through the AuditLog (in batches of 10,000, one
 * transaction each), spread over 2,000 cases, 50 people and the app's own action codes, a
 * minute apart. Then it times what the viewer asks for, each the median of 5 runs:
 *
 *   filter   the first page (50 entries, newest first) for one case, one person, one kind
 *            of act, one day, and all four together; the slowest of these is `filter_ms`;
 *   page     the 20th page of one kind of act, fetched by the sequence number the 19th
 *            ended on (keyset paging, as the viewer pages): `page_ms`.
 *
 * Prints one line `audit: entries=N filter_ms=M page_ms=P` (the target is under 200 ms
 * each), with the details above it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIT_ACTIONS } from '../electron/shared/audit-actions';
import { AuditLog, type AuditSearch } from '../electron/core/platform/audit';
import { openDatabase } from '../electron/core/platform/db/database';

const { values } = parseArgs({ options: { entries: { type: 'string' } } });
const N = Number(values.entries ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'attest-bench-audit-'));
const db = openDatabase(join(dir, 'attest.db'));
const audit = new AuditLog(db);
const t0 = Date.UTC(2025, 0, 1);
const BATCH = 10_000;
const COMMON = AUDIT_ACTIONS.filter((a) => !a.startsWith('audit.'));

const started = performance.now();
// Fifty people who act (the trail names accounts of the users table).
const person = db.prepare(
  `INSERT INTO users (username, display_name, password_hash, roles, created_at, password_changed_at)
   VALUES (?, ?, 'x', '["officer"]', 0, 0)`,
);
for (let u = 1; u <= 50; u++) person.run(`officer${u}`, `执法人员 ${u}`);
for (let i = 0; i < N; i += BATCH) {
  db.transaction(() => {
    for (let k = i; k < Math.min(N, i + BATCH); k++) {
      const caseId = (k * 7919) % 2000 || 2000;
      audit.append({
        at: t0 + k * 60_000,
        actorUserId: (k % 50) + 1,
        actor: `执法人员 ${(k % 50) + 1}`,
        // One kind is rare, as exports of the trail are: ten in the whole trail.
        action: k % (N / 10) === 0 ? 'audit.exported' : COMMON[(k * 31) % COMMON.length]!,
        entity: 'session',
        entityId: k % 5000,
        caseId,
        data: { n: k },
      });
    }
  })();
}
db.exec('ANALYZE');
const fillS = (performance.now() - started) / 1000;

function median(f: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const a = performance.now();
    f();
    times.push(performance.now() - a);
  }
  return times.sort((x, y) => x - y)[2]!;
}

const PAGE = 50;
const day = t0 + Math.floor(N / 2) * 60_000;
const filters: [string, Omit<AuditSearch, 'limit'>][] = [
  ['case', { caseId: 1234 }],
  ['person', { actorUserId: 17 }],
  ['kind', { kind: 'signing' }],
  ['rare kind', { kind: 'audit' }],
  ['day', { from: day, to: day + 86_400_000 }],
];
// All four together, as one entry of the case has them.
const sample = audit.search({ caseId: 1234, limit: 1 }).entries[0]!;
filters.push([
  'all four',
  {
    caseId: 1234,
    actorUserId: sample.actorUserId!,
    kind: sample.action.split('.')[0]!,
    from: t0,
    to: sample.at,
  },
]);
const lines: string[] = [];
let filterMs = 0;
for (const [name, f] of filters) {
  let count = 0;
  const ms = median(() => (count = audit.search({ ...f, limit: PAGE }).entries.length));
  filterMs = Math.max(filterMs, ms);
  lines.push(`  filter ${name}: ${ms.toFixed(1)} ms (${count} entries on the page)`);
}
let before: number | undefined;
for (let p = 0; p < 19; p++)
  before = audit.search({ kind: 'media', limit: PAGE, before }).next ?? undefined;
const pageMs = median(() => audit.search({ kind: 'media', limit: PAGE, before }));
lines.push(`  page 20 of kind media: ${pageMs.toFixed(1)} ms`);
console.log(`filled ${N} entries in ${fillS.toFixed(1)} s`);
console.log(lines.join('\n'));
console.log(`audit: entries=${N} filter_ms=${filterMs.toFixed(1)} page_ms=${pageMs.toFixed(1)}`);
db.close();
rmSync(dir, { recursive: true, force: true });
