import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';

/** File names in resources/fonts (built by scripts/extract-cjk-font.ts). */
export const FONT_FILES = {
  regular: 'NotoSansCJKsc-Regular.subset.otf',
} as const;

/**
 * Font programs to embed. Regular is required. A Bold face is optional and used only where
 * it has every glyph of a text; without one, bold text (the title) is Regular stroked
 * along its outline, which costs nothing in the file.
 */
export interface FontBytes {
  regular: Uint8Array;
  bold?: Uint8Array;
}

/** Which face a piece of text is drawn in (`bold` without a Bold font: emboldened Regular). */
export type FontFace = 'regular' | 'bold';

/**
 * The app's resources folder: `ATTEST_RESOURCES_DIR`, Electron's `process.resourcesPath`
 * (packaged: electron-builder copies resources/ there), or the nearest `resources/fonts`
 * above this module (the repository, whether running from source or from out/).
 */
export function defaultResourcesDir(): string {
  const env = process.env.ATTEST_RESOURCES_DIR;
  if (env) return env;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'resources', 'fonts'))) {
    return join(packaged, 'resources');
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources', 'fonts', FONT_FILES.regular))) {
      return join(dir, 'resources');
    }
    dir = resolve(dir, '..');
  }
  throw new Error('resources/fonts not found; set ATTEST_RESOURCES_DIR');
}

const byteCache = new Map<string, FontBytes>();

/** Read the shipped fonts (cached per folder: they are 10 MB and never change at runtime). */
export function loadFontBytes(resourcesDir: string = defaultResourcesDir()): FontBytes {
  let fonts = byteCache.get(resourcesDir);
  if (!fonts) {
    fonts = { regular: readFileSync(join(resourcesDir, 'fonts', FONT_FILES.regular)) };
    byteCache.set(resourcesDir, fonts);
  }
  return fonts;
}

function openFont(bytes: Uint8Array): Font {
  const f = fontkit.create(bytes);
  if ('fonts' in f) throw new Error('a font collection was given; extract one face first');
  return f;
}

const metricsCache = new WeakMap<Uint8Array, FontMetrics>();

/**
 * Advance widths from the font files themselves, so that line breaking agrees with what
 * the PDF viewer draws. Widths are cached per character (a transcript repeats a few
 * thousand characters at most).
 */
export class FontMetrics {
  private readonly regular: Font;
  private readonly bold: Font | null;
  private readonly cache = new Map<string, number>();

  constructor(fonts: FontBytes) {
    this.regular = openFont(fonts.regular);
    this.bold = fonts.bold ? openFont(fonts.bold) : null;
  }

  /** Shared instance per font bytes (parsing the 9 MB font's tables is not free). */
  static for(fonts: FontBytes): FontMetrics {
    let m = metricsCache.get(fonts.regular);
    if (!m) {
      m = new FontMetrics(fonts);
      metricsCache.set(fonts.regular, m);
    }
    return m;
  }

  /** Whether Regular has a glyph for every character of `text`. */
  covers(text: string): boolean {
    for (const ch of text) {
      if (!this.regular.hasGlyphForCodePoint(ch.codePointAt(0)!)) return false;
    }
    return true;
  }

  /** The characters of `text` that Regular cannot draw (distinct, in order). */
  missing(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) {
      if (ch === '\n' || ch === '\r' || ch === '\t') continue;
      if (!this.regular.hasGlyphForCodePoint(ch.codePointAt(0)!)) out.add(ch);
    }
    return [...out];
  }

  /** Whether a real Bold font program is loaded. */
  get hasBold(): boolean {
    return this.bold !== null;
  }

  /**
   * The face to draw `text` in when `wanted`. Without a Bold font, `bold` stays `bold`
   * (emboldened Regular); with one, it falls back to Regular if Bold lacks a glyph.
   */
  face(text: string, wanted: FontFace): FontFace {
    if (wanted === 'regular' || !this.bold) return wanted;
    for (const ch of text) {
      if (!this.bold.hasGlyphForCodePoint(ch.codePointAt(0)!)) return 'regular';
    }
    return 'bold';
  }

  /** Width of `text` at `size` points in `face` (after {@link face} has chosen it). */
  width(text: string, size: number, face: FontFace = 'regular'): number {
    const font = face === 'bold' && this.bold ? this.bold : this.regular;
    let em = 0;
    for (const ch of text) {
      const key = face === 'bold' ? `b${ch}` : ch;
      let w = this.cache.get(key);
      if (w === undefined) {
        const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
        w = glyph.advanceWidth / font.unitsPerEm;
        this.cache.set(key, w);
      }
      em += w;
    }
    return em * size;
  }
}
