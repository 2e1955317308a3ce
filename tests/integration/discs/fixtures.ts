/**
 * Sealed bundles for the disc tests, made with the seal tests' helpers (real openssl
 * signatures, real ffmpeg media) under Chinese names, and a hand-made bag holding a sparse
 * file over 4 GiB (sealBag would copy it; this keeps the big test quick on the disk).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import {
  execFileAsync as run,
  makeTestPki,
  sealSample,
  tempDir,
  type TestPki,
} from '../platform/bagit/fixtures';
import { buildBagInfo } from '../../../electron/core/features/sealing';
import {
  formatBagInfo,
  formatManifest,
  payloadOxum,
  BAGIT_TXT,
} from '../../../electron/core/platform/bagit/bagformat';
import { sampleRecord } from '../platform/bagit/fixtures';
import { planDiscs, type MediumId } from '../../../electron/shared/rules/disc-plan';
import {
  buildDiscImage,
  placementOf,
  readSourceBundle,
  type SourceBundle,
} from '../../../electron/core/features/discs/layout';

export { have, tempDir, removeTempDirs, execFileAsync } from '../platform/bagit/fixtures';

export const CASE_NO = '石人防罚〔2026〕12号';

/** Two sealed sessions of one case, bag names in Chinese, an extra payload file with a Chinese name. */
export async function sealedCase(archive: string): Promise<{ pki: TestPki; bags: string[] }> {
  const pki = await makeTestPki();
  const work = tempDir('attest-disc-src-');
  const extra = join(work, '现场照片说明.txt');
  await fsp.writeFile(extra, '询问室现场照片三张，拍摄人：张伟。\n');
  const a = await sealSample(archive, { pki, bagName: '2026-11-23_询问_赵六' });
  const b = await sealSample(archive, {
    pki,
    bagName: '2026-11-24_听证_赵六',
    extraFiles: [{ path: extra, name: 'attachments/现场照片说明.txt' }],
  });
  return { pki, bags: [a.path, b.path] };
}

/**
 * A sealed bag whose payload is one sparse file of `bytes` (zeros) plus a small text file:
 * manifests computed by hashing zeros in memory, the tag manifest signed with the test PKI.
 */
export async function bigBag(
  dir: string,
  name: string,
  bytes: number,
  pki: TestPki,
): Promise<string> {
  const bag = join(dir, name);
  await fsp.mkdir(join(bag, 'data', 'media'), { recursive: true });
  await fsp.mkdir(join(bag, 'seal'));
  const big = join(bag, 'data', 'media', '全程录像.mp4');
  await run('truncate', ['-s', String(bytes), big]);
  const note = Buffer.from('超过 4 GiB 的录像文件（测试用稀疏文件）\n', 'utf8');
  await fsp.writeFile(join(bag, 'data', '说明.txt'), note);
  const zeros = Buffer.alloc(8 * 1024 * 1024);
  const h512 = createHash('sha512');
  const h256 = createHash('sha256');
  for (let left = bytes; left > 0; left -= zeros.length) {
    const part = left >= zeros.length ? zeros : zeros.subarray(0, left);
    h512.update(part);
    h256.update(part);
  }
  const d = {
    big: { sha512: h512.digest('hex'), sha256: h256.digest('hex') },
    note: {
      sha512: createHash('sha512').update(note).digest('hex'),
      sha256: createHash('sha256').update(note).digest('hex'),
    },
  };
  const files = [
    { path: 'data/media/全程录像.mp4', ...d.big },
    { path: 'data/说明.txt', ...d.note },
  ];
  const tags = new Map<string, string>();
  tags.set('bagit.txt', BAGIT_TXT);
  tags.set(
    'manifest-sha512.txt',
    formatManifest(files.map((f) => ({ path: f.path, digest: f.sha512 }))),
  );
  tags.set(
    'manifest-sha256.txt',
    formatManifest(files.map((f) => ({ path: f.path, digest: f.sha256 }))),
  );
  tags.set(
    'bag-info.txt',
    formatBagInfo({
      ...buildBagInfo(sampleRecord({ sessionId: 'S9' })),
      'Payload-Oxum': payloadOxum(bytes + note.length, 2),
    }),
  );
  for (const [rel, text] of tags) await fsp.writeFile(join(bag, rel), text);
  const tagManifest = formatManifest(
    [...tags].map(([rel, text]) => ({
      path: rel,
      digest: createHash('sha512').update(text).digest('hex'),
    })),
  );
  await fsp.writeFile(join(bag, 'tagmanifest-sha512.txt'), tagManifest);
  await fsp.writeFile(
    join(bag, 'seal', 'tagmanifest-sha512.txt.p7s'),
    await pki.signer.signDetached(Buffer.from(tagManifest, 'utf8')),
  );
  return bag;
}

/** Images the given bags as one disc (planned on `medium`), with a fresh stage directory. */
export async function imageOf(
  bagPaths: string[],
  out: string,
  opts: { medium?: MediumId; setNo?: string } = {},
): Promise<{
  built: Awaited<ReturnType<typeof buildDiscImage>>;
  sources: Map<string, SourceBundle>;
}> {
  const sources = new Map<string, SourceBundle>();
  for (const p of bagPaths) {
    const name = p.split('/').pop()!;
    sources.set(name, await readSourceBundle(p, name));
  }
  const plan = planDiscs([...sources.values()], opts.medium ?? 'dvd', 1);
  if (plan.discs.length !== 1)
    throw new Error(`expected one disc, the plan has ${plan.discs.length}`);
  const built = await buildDiscImage({
    disc: plan.discs[0]!,
    discCount: 1,
    sources,
    placement: placementOf(plan.discs),
    texts: {
      setNo: opts.setNo ?? '20261124-001',
      volumeId: 'ATT_261124_001_1',
      medium: opts.medium ?? 'dvd',
      caseNo: CASE_NO,
      cause: '未按规定修建防空地下室',
      madeAt: '2026-11-24T10:00:00+08:00',
      timeZone: 'Asia/Shanghai',
      madeBy: '王书记员',
      software: 'Attest test',
      purpose: null,
    },
    out,
    stageDir: tempDir('attest-disc-stage-'),
  });
  return { built, sources };
}
