import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../electron/shared/client';
import { connectInMemory } from '../../../electron/core/transports/memory';
import { migrate } from '../../../electron/core/platform/db/migrations';
import { csvField } from '../../../electron/core/platform/csv';
import { zhActionName, zhActorName, zhEntityName } from '../../../electron/shared/audit-actions';
import { caseInput, PASSWORD, seed, tempCore } from '../../helpers/core';

describe('the audit viewer', () => {
  let env: ReturnType<typeof tempCore>;
  let admin: Client;
  let caseA: number;
  let caseB: number;

  beforeEach(async () => {
    env = tempCore();
    admin = connectInMemory(env.core);
    const { officers } = await seed(admin);
    env.advance(60_000);
    caseA = (await admin.invoke('cases.create', caseInput([officers[0].id, officers[1].id]))).id;
    env.advance(86_400_000);
    caseB = (
      await admin.invoke(
        'cases.create',
        caseInput([officers[0].id, officers[1].id], '石人防罚〔2026〕13号'),
      )
    ).id;
  });
  afterEach(() => {
    admin.close();
    return env.dispose();
  });

  it('filters by case, person, kind and time, newest first, and pages by sequence', async () => {
    const all = await admin.invoke('audit.search', { limit: 500 });
    expect(all.next).toBeNull();
    expect(all.entries.map((e) => e.seq)).toEqual(
      [...all.entries.map((e) => e.seq)].sort((a, b) => b - a),
    );
    const a = await admin.invoke('audit.search', { caseId: caseA, limit: 500 });
    expect(a.entries.length).toBeGreaterThan(0);
    expect(a.entries.every((e) => e.caseId === caseA)).toBe(true);
    expect(a.caseNos[caseA]).toBe('石人防罚〔2026〕12号');
    // The case by its number, exactly as typed: the same page, and the case it named.
    const byNo = await admin.invoke('audit.search', { caseNo: '石人防罚〔2026〕12号', limit: 500 });
    expect(byNo.entries.map((e) => e.seq)).toEqual(a.entries.map((e) => e.seq));
    expect(byNo.caseId).toBe(caseA);
    await expect(
      admin.invoke('audit.search', { caseNo: '石人防罚〔2026〕1', limit: 5 }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('没有案件编号'),
    });
    const kind = await admin.invoke('audit.search', { kind: 'officer', limit: 500 });
    expect(kind.entries.map((e) => e.action)).toEqual(Array(3).fill('officer.registered'));
    const people = await admin.invoke('audit.people', {});
    const adminId = people.find((p) => p.displayName === '系统管理员')!.id;
    const mine = await admin.invoke('audit.search', { actorUserId: adminId, limit: 500 });
    expect(mine.entries.length).toBe(all.entries.filter((e) => e.actorUserId === adminId).length);
    // The second case was opened a day later: a time window holds it alone.
    const b = all.entries.find((e) => e.action === 'case.created' && e.caseId === caseB)!;
    const day = await admin.invoke('audit.search', {
      from: b.at - 1000,
      to: b.at + 1000,
      limit: 500,
    });
    expect(day.entries.map((e) => e.caseId)).toContain(caseB);
    expect(day.entries.map((e) => e.caseId)).not.toContain(caseA);
    // Pages of 3 end to end give the whole trail once.
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const p = await admin.invoke('audit.search', { limit: 3, ...(before ? { before } : {}) });
      seen.push(...p.entries.map((e) => e.seq));
      if (p.next === null) break;
      before = p.next;
    }
    expect(seen).toEqual(all.entries.map((e) => e.seq));
  });

  it('exports the filtered trail as CSV a spreadsheet reads, and records the export', async () => {
    const r = await admin.invoke('audit.csv', { caseId: caseA });
    expect(
      r.csv.startsWith(
        '\ufeff序号,时间,操作人,操作,操作代码,对象,对象编号,案件编号,内容,校验值\r\n',
      ),
    ).toBe(true);
    const rows = r.csv.trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(r.rows);
    expect(r.truncated).toBe(false);
    expect(rows.every((l) => l.includes('石人防罚〔2026〕12号'))).toBe(true);
    expect(rows.some((l) => l.includes(',立案,case.created,'))).toBe(true);
    // A field with a comma or quote is quoted, its quotes doubled.
    expect(rows.find((l) => l.includes('case.created'))).toMatch(/,"\{""[^]*\}",[0-9a-f]{64}$/);
    expect(r.fileName).toMatch(/^审计日志-\d{4}-\d{2}-\d{2}\.csv$/);
    const last = (await admin.invoke('audit.search', { limit: 1 })).entries[0]!;
    expect(last).toMatchObject({
      action: 'audit.exported',
      entity: 'audit',
      caseId: caseA,
      data: { rows: r.rows, truncated: false },
    });
  });

  it('reports a case’s entries as a PDF the workstation signed, and records the report', async () => {
    const r = await admin.invoke('audit.caseReport', { caseId: caseA });
    const file = join(env.dataDir, 'report.pdf');
    writeFileSync(file, Buffer.from(r.data, 'base64'));
    expect(r.fileName).toMatch(/^案件操作记录报告-石人防罚〔2026〕12号-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toMatch(
      /Signature Validation: Signature is Valid\./,
    );
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('案件操作记录报告');
    expect(text).toContain('石人防罚〔2026〕12号');
    expect(text).toMatch(/完好：全部 \d+ 条记录的哈希链成立/);
    expect(text).toContain('立案');
    expect(text).not.toContain('石人防罚〔2026〕13号');
    expect(r.entries).toBe(
      (await admin.invoke('audit.search', { caseId: caseA, limit: 500 })).entries.length - 1,
    );
    const last = (await admin.invoke('audit.search', { limit: 1 })).entries[0]!;
    expect(last).toMatchObject({
      action: 'audit.exported',
      caseId: caseA,
      data: { format: 'pdf' },
    });
    await expect(admin.invoke('audit.caseReport', { caseId: 999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('writes CSV fields a spreadsheet reads as text, never as a formula', () => {
    expect(csvField('张伟')).toBe('张伟');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  it('names who acted the same way on screen, in the CSV and in the report', () => {
    expect(zhActorName({ actor: '张伟', entity: 'signing' })).toBe('张伟');
    expect(zhActorName({ actor: null, entity: 'signing' })).toBe('签名终端');
    expect(zhActorName({ actor: null, entity: 'session' })).toBe('系统');
    expect(zhActionName('media.read')).toBe('查看音像文件');
    expect(zhActionName('future.act')).toBe('future.act');
    expect(zhEntityName('storage_target')).toBe('存储目标');
  });

  it('is for supervisors: an officer is refused every method', async () => {
    const officer = connectInMemory(env.core);
    await officer.invoke('auth.signIn', { username: 'zhangwei', password: PASSWORD });
    for (const call of [
      () => officer.invoke('audit.search', { limit: 10 }),
      () => officer.invoke('audit.people', {}),
      () => officer.invoke('audit.csv', {}),
      () => officer.invoke('audit.caseReport', { caseId: caseA }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    officer.close();
  });

  it('reads each filter from an index that ends in the sequence number', () => {
    const db = new Database(':memory:');
    migrate(db);
    const plan = (where: string) =>
      (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT * FROM events WHERE ${where} ORDER BY seq DESC LIMIT 51`,
          )
          .all() as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('; ');
    expect(plan('case_id = 3')).toMatch(/USING INDEX events_case_seq/);
    expect(plan('actor_user_id = 3')).toMatch(/USING INDEX events_actor_seq/);
    expect(plan("kind = 'media'")).toMatch(/USING INDEX events_kind_seq/);
    for (const w of ['case_id = 3', 'actor_user_id = 3', "kind = 'media'"])
      expect(plan(w)).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});
