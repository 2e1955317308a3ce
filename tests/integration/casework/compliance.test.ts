/**
 * The compliance report: of a session with everything met, and of one whose recording notice
 * was never marked (the two officers stated why when the signing opened), each listing
 * exactly the rules expected, and each sealed in the bag as `data/compliance.json`; and of a
 * case before it is filed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComplianceReport } from '../../../electron/shared/rules/compliance';
import { readySession, sealEnv, type SealEnv } from '../../helpers/sealing';

const summary = (r: ComplianceReport) => r.items.map((i) => [i.rule, i.title, i.status]);

describe('the compliance report', () => {
  let env: SealEnv;
  afterEach(() => env.dispose());

  it('lists every rule a signed interview meets, and seals the list in the bag', async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    const { desk, demo } = await readySession(env);
    const report = await desk.invoke('compliance.session', { sessionId: demo.sessionId });
    expect(summary(report)).toEqual([
      ['R1.3', '两名以上执法人员参加并出示执法证件', 'met'],
      ['R3.4', '事先告知当事人正在录音录像', 'met'],
      ['R2.5', '告知当事人权利和义务', 'met'],
      ['R2.5', '核对当事人身份', 'met'],
      ['R3.6', '录制前检查设备，使用已登记编号的设备', 'met'],
      ['R3.7', '音像记录自开始至结束', 'met'],
      ['R3.2', '按音像记录事项清单录音录像', 'met'],
      ['R2.4', '笔录时间与音像记录的起止时间一致', 'met'],
      ['R2.2', '当事人逐页签名、骑缝签名；拒绝签名的注明并由两名以上执法人员签名', 'met'],
    ]);
    expect(report.items[1]!.evidence).toMatch(/^于 \d{2}:\d{2}:\d{2} 标记$/);
    expect(report.items[8]!.evidence).toMatch(/^\d+ 页，2 名执法人员签名$/);
    expect(report.items[6]!.evidence).toMatch(/^默认清单；\d+ 个音像文件$/);
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    const sealed = JSON.parse(
      readFileSync(join(bundle.path, 'data', 'compliance.json'), 'utf8'),
    ) as ComplianceReport;
    expect(sealed.schema).toBe('attest.compliance/1');
    expect(sealed.subject).toEqual({ kind: 'session', sessionId: demo.sessionId });
    expect(summary(sealed)).toEqual(summary(report));
    const manifest = readFileSync(join(bundle.path, 'manifest-sha512.txt'), 'utf8');
    expect(manifest).toMatch(/ data\/compliance\.json$/m);
    expect(manifest).toMatch(/ data\/compliance\.pdf$/m);
    // The printed report, signed, with every rule's result.
    const pdf = join(bundle.path, 'data', 'compliance.pdf');
    const sig = spawnSync('pdfsig', [pdf], { encoding: 'utf8' });
    expect(sig.error, 'pdfsig must be installed').toBeUndefined();
    expect(sig.stdout).toMatch(/Signature Validation: Signature is Valid\./);
    const text = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout.replace(
      /\s+/g,
      '',
    );
    expect(text).toContain('合规检查报告');
    expect(text).toContain('各项均符合');
    expect(text.match(/符合/g)!.length).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it('shows a notice never marked as overridden, by whom and why, in the report and the bag', async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    const { desk, admin, demo } = await readySession(env, 6, undefined, {
      omitSteps: ['recording_announced'],
    });
    const report = await desk.invoke('compliance.session', { sessionId: demo.sessionId });
    expect(summary(report).filter(([, , status]) => status !== 'met')).toEqual([
      ['R3.4', '事先告知当事人正在录音录像', 'overridden'],
    ]);
    expect(report.items.find((i) => i.rule === 'R3.4')!.evidence).toBe(
      '执法人员张伟、李娜确认未告知，理由：询问开始时遗漏了录音录像告知，已在询问中口头补充告知，当事人表示知悉',
    );
    const bundle = await desk.invoke('sessions.seal', { id: demo.sessionId });
    const sealed = JSON.parse(
      readFileSync(join(bundle.path, 'data', 'compliance.json'), 'utf8'),
    ) as ComplianceReport;
    expect(sealed.items.find((i) => i.rule === 'R3.4')!.status).toBe('overridden');
    // The sealed findings feed supervision: one session whose notice was overridden.
    const year = { from: Date.UTC(2025, 11, 31, 16), to: Date.UTC(2026, 11, 31, 16) };
    const stats = await admin.invoke('stats.summary', year);
    expect(stats.figures.filter((f) => f.metric === 'notice_gaps')).toEqual([
      { metric: 'notice_gaps', key: 'overridden', value: 1, cases: 1 },
    ]);
    const behind = await admin.invoke('stats.cases', {
      scope: year,
      metric: 'notice_gaps',
      key: 'overridden',
    });
    expect(behind.rows.map((r) => r.caseNo)).toEqual([demo.caseNo]);
  }, 90_000);

  it('finds what a recorded but unsigned session still lacks, and what a case lacks before filing', async () => {
    env = sealEnv({ start: Date.UTC(2026, 11, 1, 1) });
    const { desk, demo } = await readySession(env, 6, undefined, {
      omitSteps: ['recording_announced', 'rights_explained'],
      stopAfter: 'recorded',
    });
    const report = await desk.invoke('compliance.session', { sessionId: demo.sessionId });
    expect(summary(report).filter(([, , status]) => status !== 'met')).toEqual([
      ['R3.4', '事先告知当事人正在录音录像', 'missing'],
      ['R2.5', '告知当事人权利和义务', 'missing'],
      ['R2.2', '当事人逐页签名、骑缝签名；拒绝签名的注明并由两名以上执法人员签名', 'missing'],
    ]);
    const c = await desk.invoke('compliance.case', { caseId: demo.caseId });
    expect(c.subject).toEqual({ kind: 'case', caseId: demo.caseId });
    expect(
      Object.fromEntries(
        c.items.filter((i) => !i.title.includes('：')).map((i) => [i.rule, i.status]),
      ),
    ).toEqual({
      'R1.2': 'met',
      'R1.4': 'missing',
      'R2.1': 'missing',
      'R1.5': 'met',
      'R4.1': 'missing',
      'R4.4': 'met',
      'R5.2': 'met',
    });
    // The session's gaps are the case's too, named by the session.
    expect(c.items.filter((i) => i.title.includes('：')).map((i) => i.rule)).toEqual([
      'R3.4',
      'R2.5',
      'R2.2',
    ]);
  }, 60_000);
});
