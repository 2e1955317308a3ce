/**
 * Disc images end to end with the real xorriso: a case with Chinese names imaged, read back
 * through both directory trees and every hash compared; a byte corrupted inside a file's
 * data extent is found and named; a file over 4 GiB (sparse) goes on as multi-extent and
 * reads back whole; `attest disc image|verify` exit codes.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { registerSha256, registerText } from '../../../electron/core/platform/pki/register';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../electron/core/platform/optical/xorriso';
import { formatDiscReport, verifyDisc } from '../../../electron/core/features/discs/disc-verify';
import {
  DISC_INDEX,
  buildDiscImage,
  placementOf,
  readSourceBundle,
  type DiscIndex,
} from '../../../electron/core/features/discs/layout';
import type { PlannedDisc } from '../../../electron/shared/rules/disc-plan';
import { discCommand } from '../../../electron/cli/disc';
import { bigBag, CASE_NO, imageOf, removeTempDirs, sealedCase, tempDir } from './fixtures';
import { makeTestPki } from '../platform/bagit/fixtures';

afterAll(removeTempDirs);

/** Flips one byte at `offset` of a copy of `image` and returns the copy's path. */
async function corruptCopy(image: string, offset: number): Promise<string> {
  const copy = join(tempDir('attest-disc-bad-'), 'bad.iso');
  await fsp.copyFile(image, copy);
  const fh = await fsp.open(copy, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, offset);
  b[0] = b[0]! ^ 0xff;
  await fh.write(b, 0, 1, offset);
  await fh.close();
  return copy;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
    text: () => out.join(''),
    errors: () => err.join(''),
  };
}

describe('an evidence disc image of a case with Chinese names', () => {
  let bags: string[];
  let image: string;
  let built: Awaited<ReturnType<typeof imageOf>>['built'];

  beforeAll(async () => {
    const archive = tempDir('attest-disc-archive-');
    ({ bags } = await sealedCase(archive));
    image = join(tempDir('attest-disc-img-'), 'disc-1.iso');
    ({ built } = await imageOf(bags, image));
  }, 120_000);

  it('keeps Chinese names intact in both the Rock Ridge and the Joliet tree, at the same blocks', async () => {
    const rr = await listFiles(image, 'rockridge');
    const jo = await listFiles(image, 'joliet');
    const paths = rr.map((f) => f.path);
    expect(paths).toContain('bundles/2026-11-23_询问_赵六/data/transcript/询问笔录.pdf');
    expect(paths).toContain('bundles/2026-11-24_听证_赵六/data/attachments/现场照片说明.txt');
    expect(paths).toEqual(expect.arrayContaining(['README.txt', 'verify.html', DISC_INDEX]));
    expect(jo).toEqual(rr);
    expect(built.index.case?.caseNo).toBe(CASE_NO);
  });

  it('reads every file back and matches every manifest, the disc index and the signatures', async () => {
    const r = await verifyDisc(
      { kind: 'iso', path: image },
      { expectedIndexSha256: built.indexSha256 },
    );
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.bundles.map((b) => b.name)).toEqual(['2026-11-23_询问_赵六', '2026-11-24_听证_赵六']);
    for (const b of r.bundles) {
      expect(b.signature?.valid).toBe(true);
      expect(b.filesChecked).toBeGreaterThanOrEqual(8);
    }
    // Every file the index lists was read: bags (payload and tag files, the .p7s) and the disc's own.
    const index = r.index as DiscIndex;
    expect(r.filesChecked).toBe(index.files.length + 1);
    expect(formatDiscReport(r, 'zh-CN')).toMatch(/结论: 通过/);
  });

  it('fails a byte changed inside a file data extent, and names the file', async () => {
    const target = 'bundles/2026-11-24_听证_赵六/data/transcript/询问笔录.pdf';
    const f = (await listFiles(image, 'rockridge')).find((x) => x.path === target)!;
    const bad = await corruptCopy(image, f.extents[0]!.lba * 2048 + 200);
    const r = await verifyDisc(
      { kind: 'iso', path: bad },
      { expectedIndexSha256: built.indexSha256 },
    );
    expect(r.ok).toBe(false);
    const named = r.problems.filter((p) => p.file === target).map((p) => p.code);
    expect(named).toContain('hash-mismatch');
    // Only that file: the other bag stays intact.
    expect(r.bundles.find((b) => b.name === '2026-11-23_询问_赵六')?.ok).toBe(true);
    expect(r.bundles.find((b) => b.name === '2026-11-24_听证_赵六')?.ok).toBe(false);
    expect(formatDiscReport(r, 'en')).toContain(`${target}: checksum differs from the manifest`);
  });

  it('splits a bag by file across two discs: each part verifies alone and names where the rest is', async () => {
    const bag = await readSourceBundle(bags[1]!, '2026-11-24_听证_赵六');
    const tags = bag.files.filter((f) => !f.path.startsWith('data/')).map((f) => f.path);
    const data = bag.files
      .filter((f) => f.path.startsWith('data/'))
      .map((f) => f.path)
      .sort();
    const halves = [data.slice(0, 4), data.slice(4)];
    const discs: PlannedDisc[] = halves.map((half, i) => ({
      number: i + 1,
      bundles: [
        {
          name: bag.name,
          part: { number: i + 1, of: 2 },
          files: [...tags, ...half].sort(),
          bytes: 0,
        },
      ],
      sectors: 0,
      bytes: 0,
      fill: 0,
    }));
    const sources = new Map([[bag.name, bag]]);
    // Every disc carries the agency certificate register, listed in its index.
    const registerFile = registerText([]);
    const register = { text: registerFile, sha256: registerSha256(registerFile) };
    for (const d of discs) {
      const out = join(tempDir('attest-disc-split-'), `disc-${d.number}.iso`);
      const built = await buildDiscImage({
        disc: d,
        discCount: 2,
        sources,
        placement: placementOf(discs),
        texts: {
          setNo: 'S',
          volumeId: `SPLIT_${d.number}`,
          medium: 'cd',
          caseNo: CASE_NO,
          cause: 'c',
          madeAt: '2026-11-24T10:00:00+08:00',
          timeZone: 'Asia/Shanghai',
          madeBy: null,
          software: 'test',
          purpose: null,
        },
        register,
        out,
        stageDir: tempDir('attest-disc-stage-'),
      });
      expect(built.index.register).toEqual({
        path: 'agency-register.json',
        sha256: register.sha256,
      });
      expect(built.index.files.map((f) => f.path)).toContain('agency-register.json');
      const other = halves[d.number === 1 ? 1 : 0]!;
      expect(built.index.bundles[0]!.elsewhere).toEqual(
        other.map((path) => ({ path, disc: d.number === 1 ? 2 : 1 })),
      );
      const r = await verifyDisc(
        { kind: 'iso', path: out },
        { expectedIndexSha256: built.indexSha256 },
      );
      expect(r.problems).toEqual([]);
      expect(r.bundles[0]).toMatchObject({
        ok: true,
        part: { number: d.number, of: 2 },
        elsewhere: other.length,
      });
      expect(r.bundles[0]!.signature?.valid).toBe(true);
    }
  }, 60_000);

  it('catches a disc of another set (the index is not the one burned)', async () => {
    const r = await verifyDisc(
      { kind: 'iso', path: image },
      { expectedIndexSha256: '0'.repeat(64) },
    );
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['index-mismatch']);
  });

  it('attest disc image builds and checks an image; attest disc verify exits 1 on a mismatch', async () => {
    const out = join(tempDir('attest-disc-cli-'), '光盘.iso');
    const a = io();
    expect(
      await discCommand(['image', ...bags, '--out', out, '--medium', 'dvd', '--lang', 'en'], a),
    ).toBe(0);
    expect(a.text()).toMatch(/Result: PASSED/);
    expect(a.errors()).toMatch(/image 100%/);
    const b = io();
    expect(await discCommand(['verify', '--image', out], b)).toBe(0);
    const f = (await listFiles(out, 'rockridge')).find((x) =>
      x.path.endsWith('data/media/CAM-01.mp4'),
    )!;
    const bad = await corruptCopy(out, f.extents[0]!.lba * 2048 + 4096);
    const c = io();
    expect(await discCommand(['verify', '--image', bad, '--lang', 'en'], c)).toBe(1);
    expect(c.text()).toMatch(/data\/media\/CAM-01.mp4: checksum differs/);
    const d = io();
    expect(await discCommand(['image', ...bags, '--out', out], d)).toBe(1); // never overwrites
    const e = io();
    expect(await discCommand(['verify'], e)).toBe(2);
    // Too big for a CD? the sample is small, so a CD holds it; a refused medium is a usage of plan.
  }, 120_000);
});

/**
 * A file over 4 GiB: stored as two file sections (multi-extent) in both trees. Measured on
 * the 2-core build machine: ~25–40 s for building the 4.5 GiB image (xorriso writes every
 * byte, sparse source or not) plus ~15 s to read it back and hash it. Set
 * ATTEST_SKIP_BIG_DISC=1 to leave it out where disk or time is short.
 */
const BIG = 4500 * 1024 * 1024;
describe.skipIf(!!process.env.ATTEST_SKIP_BIG_DISC)('a file over 4 GiB on the disc', () => {
  it('is written as multi-extent, listed the same by Joliet, and reads back with matching hashes', async () => {
    const pki = await makeTestPki();
    const dir = tempDir('attest-disc-big-');
    const bag = await bigBag(dir, '2026-11-25_听证_全程录像', BIG, pki);
    const image = join(dir, 'big.iso');
    const t0 = performance.now();
    const { built } = await imageOf([bag], image, { medium: 'dvd-dl' });
    const t1 = performance.now();
    const rr = await listFiles(image, 'rockridge');
    const big = rr.find((f) => f.path.endsWith('全程录像.mp4'))!;
    expect(big.size).toBe(BIG);
    expect(big.extents.length).toBe(2);
    expect(big.extents.reduce((a, e) => a + e.blocks, 0)).toBe(Math.ceil(BIG / 2048));
    expect(await listFiles(image, 'joliet')).toEqual(rr);
    const r = await verifyDisc(
      { kind: 'iso', path: image },
      { expectedIndexSha256: built.indexSha256 },
    );
    const t2 = performance.now();
    expect(r.problems).toEqual([]);
    expect(r.bundles[0]?.signature?.valid).toBe(true);
    console.log(
      `>4 GiB disc: image ${((t1 - t0) / 1000).toFixed(1)} s (${(built.bytes / 2 ** 30).toFixed(2)} GiB), read back and hashed ${((t2 - t1) / 1000).toFixed(1)} s`,
    );
    await fsp.rm(image, { force: true });
  }, 300_000);
});
