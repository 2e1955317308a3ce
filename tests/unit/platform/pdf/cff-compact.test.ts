import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import * as fontkit from 'fontkit';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultResourcesDir, loadFontBytes } from '../../../../electron/core/platform/pdf';
import {
  compactCffSubrs,
  compactingFontkit,
} from '../../../../electron/core/platform/pdf/cff-compact';

const work = mkdtempSync(join(tmpdir(), 'attest-cff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every GB 2312 character, plus Latin, digits, punctuation and two rare name characters. */
function sampleText(): string {
  const gb = new TextDecoder('gb18030');
  let s = 'ABCXYZabcxyz0123456789，。、；：？！（）《》“”…—%@#&*+-=/ 䶮𠀾';
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = gb.decode(new Uint8Array([hi, lo]));
      const cp = ch.codePointAt(0)!;
      if (ch.length === 1 && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff)) s += ch;
    }
  }
  return s;
}

async function pdfWith(fk: unknown, text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fk as Parameters<PDFDocument['registerFontkit']>[0]);
  const font = await pdf.embedFont(loadFontBytes(defaultResourcesDir()).regular, { subset: true });
  const chars = Array.from(text);
  const perLine = 48;
  const perPage = 70;
  for (let p = 0; p * perLine * perPage < chars.length; p++) {
    const page = pdf.addPage([595, 842]);
    page.setFont(font);
    for (let l = 0; l < perPage; l++) {
      const from = (p * perPage + l) * perLine;
      const line = chars.slice(from, from + perLine).join('');
      if (line) page.drawText(line, { x: 20, y: 820 - l * 11.5, size: 11 });
    }
  }
  return Buffer.from(await pdf.save());
}

function raster(pdf: Buffer, name: string): Buffer[] {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdftoppm', ['-r', '72', file, join(work, name)]);
  expect(r.status).toBe(0);
  return readdirSync(work)
    .filter((f) => f.startsWith(`${name}-`))
    .sort()
    .map((f) => readFileSync(join(work, f)));
}

describe('compactCffSubrs', () => {
  it('renders every glyph pixel-identically to the uncompacted subset, in a smaller file', async () => {
    const text = sampleText();
    expect(Array.from(text).length).toBeGreaterThan(7000);
    const plain = await pdfWith(fontkit, text);
    const compact = await pdfWith(compactingFontkit(fontkit), text);
    expect(compact.length).toBeLessThan(plain.length);
    const a = raster(plain, 'plain');
    const b = raster(compact, 'compact');
    expect(b.length).toBe(a.length);
    expect(a.length).toBeGreaterThanOrEqual(2);
    a.forEach((page, i) => expect(b[i]!.equals(page), `page ${i + 1} differs`).toBe(true));
  });

  it('takes a small subset from ~90 KB of empty subroutine slots down to a few KB', () => {
    const font = fontkit.create(loadFontBytes(defaultResourcesDir()).regular);
    if ('fonts' in font) throw new Error('collection');
    const subset = font.createSubset();
    for (const ch of '询问笔录') subset.includeGlyph(font.glyphForCodePoint(ch.codePointAt(0)!));
    const cff = subset.encode();
    const out = compactCffSubrs(cff);
    expect(cff.length).toBeGreaterThan(80_000);
    expect(out.length).toBeLessThan(8_000);
  });

  it('returns what it does not understand unchanged', () => {
    const junk = new Uint8Array([1, 0, 4, 4, 0, 0, 0, 0, 0, 0]);
    expect(compactCffSubrs(junk)).toBe(junk);
  });
});
