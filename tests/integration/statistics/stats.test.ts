/**
 * Supervision statistics on a generated year with known contents: every figure of
 * `stats.summary` equals the count this test makes on its own from what was generated (for
 * every unit and for one), a figure drills down to exactly the cases behind it, and the CSV
 * and the signed PDF report carry the same numbers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/platform/db/database';
import { connectInMemory } from '../../../electron/core/transports/memory';
import type { Client } from '../../../electron/shared/client';
import type { StatsScope } from '../../../electron/shared/api/statistics';
import {
  figuresOf,
  formatStatValue,
  STAT_METRICS,
  type StatMetric,
} from '../../../electron/shared/rules/statistics';
import { expectedFigures as expected, generateYear, type YearData } from '../../helpers/stats-data';
import { ADMIN, tempCore } from '../../helpers/core';

const DAY = 86_400_000;
const FROM = Date.UTC(2025, 11, 31, 16); // 2026-01-01 in Beijing
const TO = FROM + 365 * DAY;
const UNITS = ['执法一队', '法制审核科', null] as const;

describe('supervision statistics', () => {
  let env: ReturnType<typeof tempCore>;
  let client: Client;
  let data: YearData;
  let filingDays: number;
  let now: number;
  const work = mkdtempSync(join(tmpdir(), 'attest-stats-'));

  beforeAll(async () => {
    env = tempCore(Date.UTC(2026, 11, 20, 2));
    client = connectInMemory(env.core);
    await client.invoke('auth.setup', ADMIN);
    await client.invoke('auth.signIn', { username: ADMIN.username, password: ADMIN.password });
    await client.invoke('app.setTimeZone', { timeZone: 'Asia/Shanghai' });
    const db = openDatabase(join(env.dataDir, 'attest.db'));
    try {
      const admin = db.prepare('SELECT id FROM users').get() as { id: number };
      data = generateYear(db, {
        cases: 400,
        sessions: 2000,
        audit: 20_000,
        from: FROM,
        units: UNITS,
        userId: admin.id,
      });
      filingDays = (
        db.prepare('SELECT filing_days FROM case_file_policy').get() as {
          filing_days: number;
        }
      ).filing_days;
    } finally {
      db.close();
    }
    now = Date.UTC(2026, 11, 20, 2);
  }, 120_000);
  afterAll(() => {
    client.close();
    return env.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  const check = async (scope: StatsScope) => {
    const got = await client.invoke('stats.summary', scope);
    const want = expected(data, scope, now, filingDays);
    for (const metric of STAT_METRICS) {
      const e = want.get(metric) ?? new Map();
      const figures = got.figures.filter((f) => f.metric === metric);
      expect(
        Object.fromEntries(figures.map((f) => [String(f.key), [f.value, f.cases]])),
        metric,
      ).toEqual(Object.fromEntries([...e].map(([k, f]) => [k, [f.value, f.cases.size]])));
    }
    return { got, want };
  };

  it('counts every figure of the year as the records say, for every unit and for one', async () => {
    const { got, want } = await check({ from: FROM, to: TO });
    // The generated year has something in every figure, so no figure passes by being empty.
    for (const metric of STAT_METRICS) expect(want.get(metric)?.size, metric).toBeGreaterThan(0);
    expect(
      got.figures.find((f) => f.metric === 'storage' && f.key === 'late')!.value,
    ).toBeGreaterThan(0);
    await check({ from: FROM, to: TO, unit: '执法一队' });
    await check({ from: FROM, to: TO, unit: null });
    await check({ from: FROM + 90 * DAY, to: FROM + 181 * DAY, unit: '法制审核科' });
    expect(await client.invoke('stats.units', {})).toEqual(['执法一队', '法制审核科', null]);
  });

  it('drills a figure down to exactly the cases behind it', async () => {
    const scope = { from: FROM, to: TO, unit: '执法一队' };
    const want = expected(data, scope, now, filingDays);
    for (const [metric, key] of [
      ['interruptions', 'disk_floor'],
      ['storage', 'late'],
      ['refusals', null],
      ['filing_overdue', 'unfiled'],
      ['evidence_views', null],
    ] as [StatMetric, string | null][]) {
      const got = await client.invoke('stats.cases', { scope, metric, key });
      const cases = want.get(metric)!.get(String(key))!.cases;
      expect(new Set(got.rows.map((r) => r.caseId)), `${metric} ${key}`).toEqual(cases);
      expect(got.total).toBe(cases.size);
      expect(got.rows.every((r) => r.unit === '执法一队')).toBe(true);
      for (let i = 1; i < got.rows.length; i++)
        expect(got.rows[i - 1]!.value).toBeGreaterThanOrEqual(got.rows[i]!.value);
    }
  });

  it('exports the same numbers as CSV and as a signed PDF report with its charts', async () => {
    const scope = { from: FROM, to: TO };
    const summary = await client.invoke('stats.summary', scope);
    const { csv, fileName } = await client.invoke('stats.csv', scope);
    expect(fileName).toBe('统计报表-2026-01-01至2026-12-31.csv');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const rows = csv
      .trim()
      .split('\r\n')
      .slice(5)
      .map((l) => l.split(','));
    const expectedRows = STAT_METRICS.flatMap((m) =>
      figuresOf(summary.figures, m).map((f) => [formatStatValue(m, f.value), String(f.cases)]),
    );
    expect(rows.map((r) => [r[2], r[4]])).toEqual(expectedRows);
    const report = await client.invoke('stats.report', scope);
    expect(report.fileName).toBe('统计报表-2026-01-01至2026-12-31.pdf');
    const pdf = join(work, 'report.pdf');
    writeFileSync(pdf, Buffer.from(report.data, 'base64'));
    const sig = spawnSync('pdfsig', [pdf], { encoding: 'utf8' });
    expect(sig.error, 'pdfsig must be installed').toBeUndefined();
    expect(sig.stdout).toMatch(/Signature Validation: Signature is Valid\./);
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('行政执法全过程记录统计报表');
    // Each table row of the report: the part's name, its value, its cases.
    const interrupted = figuresOf(summary.figures, 'interruptions').find(
      (f) => f.key === 'disk_floor',
    )!;
    expect(text).toMatch(
      new RegExp(`磁盘空间不足\\s+${interrupted.value}\\s+${interrupted.cases}`),
    );
    const hours = formatStatValue(
      'recording_time',
      figuresOf(summary.figures, 'recording_time')[0]!.value,
    );
    expect(text).toMatch(new RegExp(`合计\\s+${hours.replace('.', '\\.')}`));
    // The charts are drawn (their axis labels are text in the PDF): the discs' bar chart
    // names its bars as the table names its rows; the storage ring's legend names its parts.
    expect(text.match(/核验通过/g)!.length).toBe(2);
    expect(text.match(/按时存储/g)!.length).toBe(2);
    const audit = await client.invoke('audit.list', { limit: 2 });
    expect(audit.map((e) => e.action)).toEqual(['stats.exported', 'stats.exported']);
  }, 60_000);

  it('refuses a period that ends before it starts', async () => {
    await expect(client.invoke('stats.summary', { from: TO, to: FROM })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
