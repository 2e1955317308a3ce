/**
 * Reading rendered PDF pages (pdftoppm's binary PPM) to find handwriting. Handwriting is drawn
 * in blue ink and all print is black or grey, so "blue" means "handwriting": the seam strip's
 * grey hash text or a black label cannot pass for a signature.
 */
import { readFileSync } from 'node:fs';

/** The resolution pages are rendered at for ink checks. */
export const DPI = 50;

/** A binary PPM (P6) as pdftoppm writes it. */
export interface Picture {
  width: number;
  height: number;
  px: Buffer;
}

export function readPpm(path: string): Picture {
  const buf = readFileSync(path);
  const header = buf.toString('latin1', 0, 64).match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error(`${path} is not a binary PPM`);
  const [, w, h] = header.map(Number);
  return { width: w!, height: h!, px: buf.subarray(header[0].length) };
}

/** Handwriting pixels inside a box given in PDF points (inset by `inset` points). */
export function inkIn(
  img: Picture,
  box: { x: number; y: number; w: number; h: number },
  pageHeight: number,
  inset = 0,
): number {
  const s = DPI / 72;
  const x0 = Math.max(0, Math.ceil((box.x + inset) * s));
  const x1 = Math.min(img.width, Math.floor((box.x + box.w - inset) * s));
  const y0 = Math.max(0, Math.ceil((pageHeight - (box.y + box.h) + inset) * s));
  const y1 = Math.min(img.height, Math.floor((pageHeight - box.y - inset) * s));
  let blue = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = 3 * (y * img.width + x);
      const [r, g, b] = [img.px[i]!, img.px[i + 1]!, img.px[i + 2]!];
      if (b > r + 50 && b > g + 30) blue++;
    }
  }
  return blue;
}
