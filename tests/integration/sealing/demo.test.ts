/**
 * `attest demo` end to end through the command line's own entry (`main`): a sealed sample
 * case whose path is the last line printed; `attest verify` on it exits 0; one flipped byte
 * in a payload file, an edited bag-info line, or an added file makes it exit 1 naming the
 * cause; the replica it leaves in the folder target verifies too. Without ffmpeg the demo
 * says so and exits 1.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { verifyBag } from '../../../electron/core/features/sealing';
import { verifyCommand } from '../../../electron/cli/verify';
import { removeTree } from '../../../electron/core/platform/fs';
import { HAVE_FFMPEG } from '../../helpers/sealing';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await removeTree(d).catch(() => undefined);
});

describe('attest demo', () => {
  it('says plainly when ffmpeg is missing, and exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'attest-demo-'));
    dirs.push(out);
    const c = capture();
    const code = await main(['demo', '--out', out, '--ffmpeg', join(out, 'no-ffmpeg-here')], {
      io: c.io,
    });
    expect(code).toBe(1);
    expect(c.err.join('')).toMatch(/ffmpeg was not found/);
    expect(c.out.join('')).toBe('');
  });

  it('rejects bad arguments with the usage (exit 2)', async () => {
    const c = capture();
    expect(await main(['demo'], { io: c.io })).toBe(2);
    expect(c.err.join('')).toContain('--out DIR is required');
    expect(await main(['demo', '--out', '/tmp/x', '--seconds', '2'], { io: c.io })).toBe(2);
  });

  it.skipIf(!HAVE_FFMPEG)(
    'builds and seals a case whose bag verifies; any change fails verification',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'attest-demo-'));
      dirs.push(out);
      const c = capture();
      const code = await main(['demo', '--out', out, '--seconds', '8'], { io: c.io });
      expect(code, c.err.join('')).toBe(0);
      const lines = c.out.join('').trimEnd().split('\n');
      const bag = lines.at(-1)!;
      expect(bag.startsWith(join(out, 'data', 'archive'))).toBe(true);
      expect(c.out.join('')).toContain('核验 verification: 通过 passed');
      const replica = /副本 replica \(read back and verified\): (.+)$/m.exec(c.out.join(''))?.[1];
      expect(replica).toBeTruthy();

      const v = capture();
      expect(await verifyCommand([bag, '--lang', 'en'], v.io)).toBe(0);
      expect(v.out.join('')).toContain('Result: PASSED');
      const report = await verifyBag(bag);
      expect(report.checks).toMatchObject({
        signature: 'pass',
        media: 'pass',
        'event-log': 'pass',
      });
      expect(report.pdfs).toHaveLength(1);
      expect(report.media).toHaveLength(4);
      // A transcript of several pages, signed on each page and across the seam.
      const signatures = JSON.parse(
        readFileSync(join(bag, 'data', 'transcript', 'signatures.json'), 'utf8'),
      ) as { pages: unknown[]; seam?: unknown; officers: unknown[] };
      expect(signatures.pages.length).toBeGreaterThanOrEqual(2);
      expect(signatures.seam).toBeTruthy();
      expect(signatures.officers).toHaveLength(2);
      expect((await verifyBag(replica!, { ffprobe: null, pdfsig: null })).ok).toBe(true);

      // One flipped byte in the program file.
      const program = join(bag, 'data', 'media', 'program-001.mp4');
      const bytes = readFileSync(program);
      const flipped = Buffer.from(bytes);
      flipped.writeUInt8(flipped.readUInt8(4096) ^ 0x20, 4096);
      writeFileSync(program, flipped);
      const f = capture();
      expect(await verifyCommand([bag, '--lang', 'en', '--no-media', '--no-pdf'], f.io)).toBe(1);
      expect(f.out.join('')).toMatch(/data\/media\/program-001\.mp4: the file was changed/);
      writeFileSync(program, bytes);

      // An edited line of bag-info.
      const infoPath = join(bag, 'bag-info.txt');
      const info = readFileSync(infoPath, 'utf8');
      writeFileSync(infoPath, info.replace('Party: 赵六', 'Party: 钱七'));
      const e = capture();
      expect(await verifyCommand([bag, '--lang', 'en', '--no-media', '--no-pdf'], e.io)).toBe(1);
      expect(e.out.join('')).toMatch(/bag-info\.txt: a tag file was changed/);
      writeFileSync(infoPath, info);

      // An added file.
      appendFileSync(join(bag, 'data', 'extra.txt'), 'not sealed');
      const a = capture();
      expect(await verifyCommand([bag, '--lang', 'en', '--no-media', '--no-pdf'], a.io)).toBe(1);
      expect(a.out.join('')).toContain('data/extra.txt');
    },
    180_000,
  );
});
