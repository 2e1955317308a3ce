/**
 * `attest demo` end to end through the command line's own entry (`main`): a sealed sample
 * case whose path is the last line printed; `attest verify` on it exits 0; one flipped byte
 * in a payload file, an edited bag-info line, or an added file makes it exit 1 naming the
 * cause; the replica it leaves in the folder target verifies too. Without ffmpeg the demo
 * says so and exits 1. A valid signature passes only when something vouches for its signer
 * (the tag manifest's hash, the certificate's fingerprint); a re-signed forgery does not.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { verifyBag } from '../../../electron/core/features/sealing';
import { verifyCommand } from '../../../electron/cli/verify';
import { removeTree } from '../../../electron/core/platform/fs';
import { forgeBag } from '../../helpers/forgery';

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

  it('builds and seals a case whose bag verifies; any change fails verification', async () => {
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

    // Nothing said who may have signed: everything holds, but it is not a pass (exit 3).
    const u = capture();
    expect(await verifyCommand([bag, '--lang', 'en'], u.io)).toBe(3);
    expect(u.out.join('')).toContain('Result: SIGNATURE VALID, SIGNER UNVERIFIED');
    // The tag manifest's hash (the disc label's) or the workstation's fingerprint vouch.
    const tagSha512 = createHash('sha512')
      .update(readFileSync(join(bag, 'tagmanifest-sha512.txt')))
      .digest('hex');
    const v = capture();
    expect(
      await verifyCommand([bag, '--lang', 'en', '--expect-tagmanifest', tagSha512], v.io),
    ).toBe(0);
    expect(v.out.join('')).toContain('Result: PASSED');
    expect(v.out.join('')).toContain('tag manifest hash is the one sealed');
    const report = await verifyBag(bag, { expectTagManifests: [tagSha512] });
    const fingerprint = report.signature!.signer!.fingerprintSha256;
    const colons = fingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    const fp = capture();
    expect(
      await verifyCommand(
        [bag, '--lang', 'zh-CN', '--no-media', '--no-pdf', '--expect-fingerprint', colons],
        fp.io,
      ),
    ).toBe(0);
    expect(fp.out.join('')).toContain('结论: 通过');
    const bad = capture();
    expect(await verifyCommand([bag, '--expect-fingerprint', 'abc'], bad.io)).toBe(2);
    expect(report.checks).toMatchObject({
      signature: 'pass',
      media: 'pass',
      'event-log': 'pass',
    });
    // The signed record and the printed compliance report, each with its signature checked.
    expect(report.pdfs.map((p) => p.file).sort()).toEqual([
      'data/compliance.pdf',
      'data/transcript/transcript.pdf',
    ]);
    expect(report.media).toHaveLength(4);
    // A transcript of several pages, signed on each page and across the seam.
    const signatures = JSON.parse(
      readFileSync(join(bag, 'data', 'transcript', 'signatures.json'), 'utf8'),
    ) as { pages: unknown[]; seam?: unknown; officers: unknown[] };
    expect(signatures.pages.length).toBeGreaterThanOrEqual(2);
    expect(signatures.seam).toBeTruthy();
    expect(signatures.officers).toHaveLength(2);
    expect(
      (await verifyBag(replica!, { expectTagManifests: [tagSha512], ffprobe: null, pdfsig: null }))
        .ok,
    ).toBe(true);

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
    rmSync(join(bag, 'data', 'extra.txt'));

    // The forgery: a camera file replaced by another valid clip, the manifests, Payload-Oxum
    // and tag manifest made to match, and the tag manifest re-signed by a fresh key under
    // the same subject name. Every check but the signer's holds.
    const forged = await forgeBag(bag, join(out, 'forged'));
    const quiet = ['--lang', 'en', '--no-media', '--no-pdf'];
    const n = capture();
    expect(await verifyCommand([forged.path, ...quiet], n.io)).toBe(3);
    expect(n.out.join('')).not.toContain('PASSED');
    expect(n.out.join('')).toContain(forged.subject);
    const byFingerprint = capture();
    expect(
      await verifyCommand(
        [
          forged.path,
          ...quiet,
          '--expect-fingerprint',
          fingerprint.replace(/:/g, '').toLowerCase(),
        ],
        byFingerprint.io,
      ),
    ).toBe(1);
    expect(byFingerprint.out.join('')).toMatch(/Result: FAILED/);
    expect(byFingerprint.out.join('')).toContain('the signing certificate is not trusted');
    expect(byFingerprint.out.join('')).toContain(forged.fingerprint);
    const byTag = capture();
    expect(
      await verifyCommand([forged.path, ...quiet, '--expect-tagmanifest', tagSha512], byTag.io),
    ).toBe(1);
    expect(byTag.out.join('')).toContain('is not the one expected');
    // A signature copied from the honest bag does not fit the forged tag manifest.
    writeFileSync(
      join(forged.path, 'seal', 'tagmanifest-sha512.txt.p7s'),
      readFileSync(join(bag, 'seal', 'tagmanifest-sha512.txt.p7s')),
    );
    const copied = capture();
    expect(await verifyCommand([forged.path, ...quiet], copied.io)).toBe(1);
    expect(copied.out.join('')).toContain('the seal signature is not valid');
  }, 180_000);
});
