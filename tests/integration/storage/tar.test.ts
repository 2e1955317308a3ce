import { createHash } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createReadStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFiles } from '../../../electron/core/platform/fs';
import { readTar, tarSize, tarStream } from '../../../electron/core/platform/tar';
import { execFileAsync as run, removeTempDirs, tempDir } from '../platform/bagit/fixtures';

afterAll(removeTempDirs);

async function tree(root: string) {
  const dir = join(root, '包 bag');
  await fsp.mkdir(join(dir, 'data', '询问笔录', 'a'.repeat(60)), { recursive: true });
  await fsp.writeFile(join(dir, 'bagit.txt'), 'BagIt-Version: 1.0\n');
  await fsp.writeFile(join(dir, 'data', '询问笔录', '第一页.pdf'), Buffer.alloc(513, 7));
  await fsp.writeFile(
    join(dir, 'data', '询问笔录', 'a'.repeat(60), `${'b'.repeat(80)}.json`),
    '{}',
  );
  await fsp.writeFile(join(dir, 'data', 'empty'), '');
  return dir;
}

describe('serialized bags (tar, RFC 8493 §4)', () => {
  it('writes a pax tar that GNU tar lists and unpacks byte for byte, of the size announced', async () => {
    const root = tempDir('attest-tar-');
    const dir = await tree(root);
    const files = await walkFiles(dir);
    const out = join(root, 'bag.tar');
    await pipeline(tarStream('包 bag', files, 1_700_000_000), createWriteStream(out));
    expect((await fsp.stat(out)).size).toBe(tarSize('包 bag', files));
    const { stdout } = await run('tar', ['-tf', out]);
    expect(stdout.trim().split('\n').sort()).toEqual(files.map((f) => `包 bag/${f.rel}`).sort());
    const x = join(root, 'x');
    await fsp.mkdir(x);
    await run('tar', ['-xf', out, '-C', x]);
    for (const f of files) {
      expect(await fsp.readFile(join(x, '包 bag', f.rel)), f.rel).toEqual(
        await fsp.readFile(f.abs),
      );
    }
  });

  it('reads back its own archives and GNU tar pax archives, hashing each member', async () => {
    const root = tempDir('attest-tar-');
    const dir = await tree(root);
    const files = await walkFiles(dir);
    const gnu = join(root, 'gnu.tar');
    await run('tar', ['--format=pax', '-cf', gnu, '-C', root, '包 bag']);
    for (const source of [
      tarStream('包 bag', files, 0),
      createReadStream(gnu, { highWaterMark: 1000 }),
    ]) {
      const seen = new Map<string, string>();
      let h = createHash('sha256');
      await readTar(source, {
        onStart: () => (h = createHash('sha256')),
        onData: (c) => h.update(c),
        onEnd: (m) => seen.set(m.path, h.digest('hex')),
      });
      for (const f of files) {
        const expected = createHash('sha256')
          .update(await fsp.readFile(f.abs))
          .digest('hex');
        expect(seen.get(`包 bag/${f.rel}`), f.rel).toBe(expected);
      }
    }
  });

  it('rejects an archive cut off in the middle', async () => {
    const root = tempDir('attest-tar-');
    const files = await walkFiles(await tree(root));
    const chunks: Buffer[] = [];
    for await (const c of tarStream('包 bag', files, 0)) chunks.push(c as Buffer);
    const cut = Buffer.concat(chunks).subarray(0, 2000);
    await expect(
      readTar(
        (async function* () {
          yield cut;
        })(),
        { onStart: () => {}, onData: () => {}, onEnd: () => {} },
      ),
    ).rejects.toThrow(/ends in the middle|no end-of-archive/);
  });
});
