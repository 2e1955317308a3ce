import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import {
  defaultResourcesDir,
  FONT_FILES,
  loadFontBytes,
} from '../../../../electron/core/platform/pdf';

describe('the shipped CJK font', () => {
  const dir = defaultResourcesDir();
  const path = join(dir, 'fonts', FONT_FILES.regular);

  it('is a single OpenType face under 10 MB with its OFL licence beside it', () => {
    expect(statSync(path).size).toBeLessThan(10 * 1024 * 1024);
    expect(existsSync(join(dir, 'fonts', 'LICENSE-OFL.txt'))).toBe(true);
    const font = fontkit.create(loadFontBytes(dir).regular);
    expect('fonts' in font).toBe(false);
    if ('fonts' in font) return;
    expect(font.postscriptName).toBe('NotoSansCJKsc-Regular');
  });

  it('draws every GB 2312 character and all of CJK Unified Ideographs U+4E00–9FA5', () => {
    const font = fontkit.create(loadFontBytes(dir).regular);
    if ('fonts' in font) throw new Error('collection');
    const gb = new TextDecoder('gb18030');
    const missing: string[] = [];
    for (let hi = 0xb0; hi <= 0xf7; hi++) {
      for (let lo = 0xa1; lo <= 0xfe; lo++) {
        const ch = gb.decode(new Uint8Array([hi, lo]));
        const cp = ch.codePointAt(0)!;
        if (cp >= 0xe000 && cp <= 0xf8ff) continue; // unassigned GB codes map to the PUA
        if (!font.hasGlyphForCodePoint(cp)) missing.push(ch);
      }
    }
    for (let cp = 0x4e00; cp <= 0x9fa5; cp++) {
      if (!font.hasGlyphForCodePoint(cp)) missing.push(String.fromCodePoint(cp));
    }
    expect(missing).toEqual([]);
    // Rare characters of names: Ext. A and Ext. B.
    expect(font.hasGlyphForCodePoint(0x4dae)).toBe(true); // 䶮
    expect(font.hasGlyphForCodePoint(0x2003e)).toBe(true); // 𠀾
  });

  it('is rebuilt byte for byte by scripts/extract-cjk-font.ts', () => {
    const out = execFileSync(process.execPath, ['scripts/extract-cjk-font.ts', '--check'], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/identical/);
  });
});
