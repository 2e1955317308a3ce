/**
 * The supervision screen on an agency's year: 20,000 cases, 100,000 sessions and 1,000,000
 * audit entries.
 *
 *   npm run bench:stats [-- --cases 20000 --sessions 100000 --audit 1000000]
 *
 * Opens a core on a temporary directory, generates the year into its case store (the test
 * suite's generator: interruptions, refusals, sealed bundles with their findings and copies,
 * filings, discs, grants, party copies, a hash-chained trail), then times what the screen
 * asks for, each through the core's dispatch and the median of 5 runs: the units; the year's
 * figures for every unit, for one unit and for one quarter; and the drill-down of the largest
 * figures. Prints one line `stats: cases=N sessions=S audit=A ms=M` (M the slowest of them;
 * the target is under 500 ms), with each timing above it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCore } from '../electron/core';
import { connectInMemory } from '../electron/core/transports/memory';
import { openDatabase } from '../electron/core/platform/db/database';
import type { MethodInput, MethodName } from '../electron/shared/api';
import { generateYear } from '../tests/helpers/stats-data';

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    sessions: { type: 'string' },
    audit: { type: 'string' },
  },
});
const CASES = Number(values.cases ?? 20_000);
const SESSIONS = Number(values.sessions ?? 100_000);
const AUDIT = Number(values.audit ?? 1_000_000);
const DAY = 86_400_000;
const FROM = Date.UTC(2025, 11, 31, 16);
const TO = FROM + 365 * DAY;

const dir = mkdtempSync(join(tmpdir(), 'attest-bench-stats-'));
const now = Date.UTC(2026, 11, 20, 2);
const core = openCore({ dataDir: dir, now: () => now, log: () => undefined });
const client = connectInMemory(core);
try {
  const admin = { username: 'admin', displayName: '系统管理员', password: 'correct horse 1' };
  await client.invoke('auth.setup', admin);
  await client.invoke('auth.signIn', { username: admin.username, password: admin.password });
  const t0 = performance.now();
  const db = openDatabase(join(dir, 'attest.db'));
  try {
    const user = db.prepare('SELECT id FROM users').get() as { id: number };
    generateYear(db, {
      cases: CASES,
      sessions: SESSIONS,
      audit: AUDIT,
      from: FROM,
      units: ['执法一队', '执法二队', '执法三队', '法制审核科', null],
      userId: user.id,
    });
    db.pragma('optimize');
  } finally {
    db.close();
  }
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const timings: [string, number][] = [];
  const time = async <M extends MethodName>(label: string, m: M, input: MethodInput<M>) => {
    const runs: number[] = [];
    let result: unknown;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      result = await client.invoke(m, input);
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    timings.push([label, runs[2]!]);
    console.log(`  ${label.padEnd(36)} ${runs[2]!.toFixed(1)} ms`);
    return result;
  };
  const year = { from: FROM, to: TO };
  await time('units', 'stats.units', {});
  const summary = (await time('summary, the year, every unit', 'stats.summary', year)) as {
    figures: { metric: string; key: string | null; value: number }[];
  };
  await time('summary, the year, one unit', 'stats.summary', { ...year, unit: '执法二队' });
  await time('summary, a quarter, every unit', 'stats.summary', {
    from: FROM,
    to: FROM + 90 * DAY,
  });
  const largest = [...summary.figures]
    .filter((f) => f.metric !== 'recording_time')
    .sort((a, b) => b.value - a.value)
    .slice(0, 3);
  for (const f of [
    ...largest,
    { metric: 'storage', key: 'late' },
    { metric: 'filing_overdue', key: 'unfiled' },
  ])
    await time(`cases of ${f.metric} ${f.key ?? ''}`, 'stats.cases', {
      scope: year,
      metric: f.metric as never,
      key: f.key,
    });
  const slowest = Math.max(...timings.map(([, ms]) => ms));
  console.log(
    `stats: cases=${CASES} sessions=${SESSIONS} audit=${AUDIT} ms=${Math.round(slowest)}`,
  );
} finally {
  client.close();
  core.close();
  rmSync(dir, { recursive: true, force: true });
}
