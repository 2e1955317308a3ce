/**
 * Handwriting as the case store keeps it: every sampled point, exactly, but per stroke as
 * columns of little-endian doubles (x, y, session time, pressure), each base64 — not one
 * JSON object per point. A full-sampled signature of 20,000 points takes 0.86 MB here instead
 * of 2.07 MB (tests/unit/signing/stored-handwriting.test.ts), and decodes to the same numbers. Rows written before this format (one
 * object per point, no `format`) still read.
 */
import type { Handwriting, StrokePoint } from './model';
import type { PointerKind } from '../../../shared/api/signing';

const FORMAT = 'columns/1';

interface StoredStroke {
  pointerType: PointerKind;
  /** Base64 of little-endian float64 values, one per point. */
  x: string;
  y: string;
  t: string;
  pressure: string;
}

interface StoredHandwriting {
  format: typeof FORMAT;
  canvas: Handwriting['canvas'];
  signedAt: string;
  atMs: number;
  strokes: StoredStroke[];
}

function column(values: readonly number[]): string {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeDoubleLE(v, i * 8));
  return b.toString('base64');
}

function values(text: string, count: number | null): number[] {
  const b = Buffer.from(text, 'base64');
  if (b.length % 8 !== 0 || (count !== null && b.length / 8 !== count))
    throw new Error('stored handwriting: a column has the wrong length');
  return Array.from({ length: b.length / 8 }, (_, i) => b.readDoubleLE(i * 8));
}

/** The text a handwriting act is stored as. */
export function storeHandwriting(h: Handwriting): string {
  const stored: StoredHandwriting = {
    format: FORMAT,
    canvas: h.canvas,
    signedAt: h.signedAt,
    atMs: h.atMs,
    strokes: h.strokes.map((s) => ({
      pointerType: s[0]?.pointerType ?? 'pen',
      x: column(s.map((p) => p.x)),
      y: column(s.map((p) => p.y)),
      t: column(s.map((p) => p.t)),
      pressure: column(s.map((p) => p.pressure)),
    })),
  };
  return JSON.stringify(stored);
}

/** A stored handwriting act, in either format, as the record and the PDF use it. */
export function readHandwriting(text: string): Handwriting {
  const raw = JSON.parse(text) as StoredHandwriting | Handwriting;
  if (!('format' in raw)) return raw;
  if (raw.format !== FORMAT) throw new Error(`stored handwriting: unknown format ${raw.format}`);
  return {
    canvas: raw.canvas,
    signedAt: raw.signedAt,
    atMs: raw.atMs,
    strokes: raw.strokes.map((s) => {
      const x = values(s.x, null);
      const y = values(s.y, x.length);
      const t = values(s.t, x.length);
      const pressure = values(s.pressure, x.length);
      return x.map((_, i): StrokePoint => ({
        x: x[i]!,
        y: y[i]!,
        t: t[i]!,
        pressure: pressure[i]!,
        pointerType: s.pointerType,
      }));
    }),
  };
}
