/**
 * `attest demo --kind hearing`: a complete sample hearing built through the same core
 * services, with real ffmpeg media, the hearing order, every participant signing in turn and
 * one refusing, the moderator's report, and the seal; read back from the sealed bag with
 * pdftotext, as a court's clerk would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../../electron/core/demo';
import { stepPositions } from '../../helpers/signing';
import { freshDataDir } from '../../helpers/webhost';

const text = (pdf: string): string => {
  const out = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.replace(/\s+/g, '');
};

describe('attest demo --kind hearing', () => {
  const out = freshDataDir('attest-demo-hearing-');
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('seals a hearing whose record and report a reader can check', async () => {
    let printed = '';
    let said = '';
    const code = await demoCommand(
      ['--out', out, '--kind', 'hearing', '--seconds', '6', '--no-replica'],
      { out: (t) => (printed += t), err: (t) => (said += t) },
    );
    expect(code, said).toBe(0);
    expect(printed).toContain('听证 hearing');
    // The last line is the sealed bag's path.
    const bag = printed.trim().split('\n').at(-1)!;
    expect(existsSync(join(bag, 'bagit.txt'))).toBe(true);

    const record = text(join(bag, 'data', 'transcript', 'transcript.pdf'));
    const steps = stepPositions(record);
    expect(steps.every((i) => i >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    for (const name of [
      '王芳',
      '张伟',
      '李娜',
      '刘洋',
      '赵六',
      '委托代理人王明签名',
      '第三人陈立签名',
      '证人孙强',
    ])
      expect(record).toContain(name);
    expect(record).toContain('拒绝在笔录上签名。拒签理由：证人称只对本人证言负责');

    const signatures = JSON.parse(
      readFileSync(join(bag, 'data', 'transcript', 'signatures.json'), 'utf8'),
    ) as { kind: string; others: { signer: number; kind: string }[] };
    expect(signatures.kind).toBe('signed');
    expect(signatures.others.map((o) => o.kind)).toEqual(['signed', 'signed', 'refused']);

    // The moderator's report, signed in person and sealed with the session.
    const report = text(join(bag, 'data', 'hearing', 'hearing-report.pdf'));
    for (const heading of [
      '听证报告',
      '调查人员提出的违法事实、证据和处理建议',
      '当事人及其委托代理人的陈述、申辩和质证意见',
      '听证认定的事实和证据',
      '主持人意见及处理建议',
      '输入本人口令确认',
    ])
      expect(report).toContain(heading);
    const session = JSON.parse(readFileSync(join(bag, 'data', 'session.json'), 'utf8')) as {
      hearingReport: { pdf: string; presence: string };
      procedure: { markers: { kind: string; answers?: unknown; answersText?: string }[] };
    };
    // The party's answers to the notices, sealed as fields and as the record words them.
    expect(session.procedure.markers.find((m) => m.kind === 'recusal_asked')).toMatchObject({
      answers: { recusal: 'none' },
      answersText: '不申请回避',
    });
    expect(record).toContain('【询问是否申请回避】：当事人不申请回避');
    expect(session.hearingReport).toMatchObject({
      pdf: 'data/hearing/hearing-report.pdf',
      presence: 'password',
    });
    const manifest = readFileSync(join(bag, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain('data/hearing/hearing-report.pdf');
    expect(manifest).toContain('data/hearing/hearing-report.json');
  }, 240_000);
});
