/**
 * The QR encoder, decoded by an independent reader (zbarimg, Debian zbar-tools) at every
 * size from version 1 to 40: the label's code (version 9) and far beyond.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeQr, qrSvg } from '../../../electron/core/features/discs/qr';
import { qrPayload } from '../../../electron/core/features/discs/label-pdf';

function haveZbar(): boolean {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const ZBAR = haveZbar();
if (!ZBAR)
  console.warn('QR decoding not checked: zbarimg is not installed (apt-get install zbar-tools)');
const dir = mkdtempSync(join(tmpdir(), 'attest-qr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PGM picture of the code, 4 px a module, with its quiet zone. */
function pgm(text: string): string {
  const q = encodeQr(text);
  const s = 4;
  const n = (q.size + 8) * s;
  const px = Buffer.alloc(n * n, 255);
  q.modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < s; dy++)
        px.fill(0, ((y + 4) * s + dy) * n + (x + 4) * s, ((y + 4) * s + dy) * n + (x + 5) * s);
    }),
  );
  const file = join(dir, `q-${text.length}.pgm`);
  writeFileSync(file, Buffer.concat([Buffer.from(`P5 ${n} ${n} 255\n`), px]));
  return file;
}

describe('encodeQr', () => {
  it('chooses the smallest version: the label payload (154 bytes) is version 9, 53 modules', () => {
    const q = encodeQr(qrPayload('ab'.repeat(64)));
    expect(q.version).toBe(9);
    expect(q.size).toBe(53);
    expect(qrSvg(q)).toMatch(/^<svg/);
  });

  it.each([1, 14, 15, 40, 100, 154, 200, 400, 800, 1500, 2331])(
    '%i bytes decode back exactly',
    (len) => {
      const text = `attest-tagmanifest-sha512:${'0123456789abcdef'.repeat(200)}`.slice(0, len);
      const out = execFileSync('zbarimg', ['-q', '--raw', pgm(text)], {
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString();
      expect(out.replace(/\n$/, '')).toBe(text);
    },
  );

  it('refuses what no level-M code holds', () => {
    expect(() => encodeQr('x'.repeat(2332))).toThrow(/do not fit/);
  });
});
