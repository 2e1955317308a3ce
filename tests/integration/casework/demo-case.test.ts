/**
 * `attest demo --kind case`: a whole sample case from its interview to its filing, built
 * through the same core services; read back from the filed case's folder as a legal-affairs
 * office would, with pdfsig (every PDF signed), pdfimages (the seal on the decision) and
 * pdftotext (the words).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCommand } from '../../../electron/core/demo';
import { freshDataDir } from '../../helpers/webhost';

const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  expect(r.error, `${cmd} must be installed`).toBeUndefined();
  return { code: r.status, out: r.stdout + r.stderr };
};
const words = (pdf: string) => run('pdftotext', ['-layout', pdf, '-']).out.replace(/\s+/g, '');

describe('attest demo --kind case', () => {
  const out = freshDataDir('attest-demo-case-');
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('files a whole case whose documents a reader can check', async () => {
    let printed = '';
    let said = '';
    const code = await demoCommand(
      ['--out', out, '--kind', 'case', '--seconds', '6', '--no-replica'],
      { out: (t) => (printed += t), err: (t) => (said += t) },
    );
    expect(code, said).toBe(0);
    const folder = printed.trim().split('\n').at(-1)!;
    expect(folder).toMatch(/case-files[\\/]\d+$/);
    expect(printed).toMatch(/决定书 decision: 行政处罚决定书 石人防罚决字〔\d{4}〕1号/);
    expect(printed).toContain('已送达 proven');

    const toc = join(folder, '卷内目录.pdf');
    const documents = readdirSync(join(folder, 'documents')).map((f) =>
      join(folder, 'documents', f),
    );
    const approvals = readdirSync(join(folder, 'approvals')).map((f) =>
      join(folder, 'approvals', f),
    );
    const receipts = readdirSync(join(folder, 'service')).map((f) => join(folder, 'service', f));
    expect(existsSync(toc)).toBe(true);
    expect(documents).toHaveLength(1);
    expect(approvals).toHaveLength(1);
    expect(receipts).toHaveLength(1);
    for (const pdf of [toc, ...documents, ...approvals, ...receipts])
      expect(run('pdfsig', [pdf]).out, pdf).toMatch(/Signature Validation: Signature is Valid\./);

    // The decision: the agency's seal over its date, its number, the penalty.
    const images = run('pdfimages', ['-list', documents[0]!]).out;
    expect(images.split('\n').filter((l) => /^\s*\d+\s+\d+\s+image/.test(l))).toHaveLength(1);
    const decision = words(documents[0]!);
    expect(decision).toContain('石家庄市人民防空办公室');
    expect(decision).toMatch(/石人防罚决字〔\d{4}〕1号/);
    expect(decision).toContain('罚款人民币伍万元整');

    // The approval form names each opinion in its order.
    const form = words(approvals[0]!);
    const order = ['承办人意见', '法制审核意见：同意', '负责人审批意见：同意'].map((h) =>
      form.indexOf(h),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // The table of contents: documents, 笔录 and A/V with their hashes, in time order, signed.
    const contents = words(toc);
    for (const entry of [
      '行政处罚决定审批表',
      '行政处罚决定书',
      '直接送达',
      '执行情况',
      '笔录',
      '封存包',
    ])
      expect(contents).toContain(entry);
    expect(contents).toContain('已按期归档');
    expect(contents).toMatch(/审核人周法制签名/);
  }, 240_000);
});
