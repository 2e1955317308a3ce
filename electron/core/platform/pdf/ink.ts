/**
 * Handwriting as vector paths: every stroke is drawn from its sampled points, so the PDF
 * shows what the pen did (and zooms without blur); pressure sets the line width.
 */
import {
  clip,
  endPath,
  LineCapStyle,
  LineJoinStyle,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setLineCap,
  setLineJoin,
  setLineWidth,
  setStrokingRgbColor,
  stroke,
} from '@cantoo/pdf-lib';
import type { PDFOperator } from '@cantoo/pdf-lib';
import type { Box, Color } from './layout';
import type { Handwriting, StrokePoint } from './model';

/** How the ink's bounding box is mapped into the target box. */
export type InkFit =
  /** Uniform scale, whole ink inside the box, left-aligned and vertically centred. */
  | 'contain'
  /** Stretch the ink's bounding box onto the box exactly (the seam band). */
  | 'fill';

/** Options for {@link inkOperators}. */
export interface InkOptions {
  fit: InkFit;
  /** Line width in points at pressure 0.5 (and for pointers without pressure). */
  width: number;
  color: Color;
  /** Draw only inside this rectangle (a seam strip). */
  clipTo?: Box;
}

/** Ink bounding box in canvas pixels, or null when there are no points. */
export function inkBounds(
  h: Handwriting,
): { minX: number; minY: number; maxX: number; maxY: number } | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of h.strokes) {
    for (const p of s) {
      if (p.x < minX) minX = p.x;
      if (p.y < minY) minY = p.y;
      if (p.x > maxX) maxX = p.x;
      if (p.y > maxY) maxY = p.y;
    }
  }
  return minX === Infinity ? null : { minX, minY, maxX, maxY };
}

/** Pen pressure to a width factor; mice and fingers report no real pressure. */
function widthFactor(a: StrokePoint, b: StrokePoint): number {
  if (a.pointerType !== 'pen') return 1;
  const p = (a.pressure + b.pressure) / 2;
  const f = Math.min(1.7, Math.max(0.3, 0.35 + 1.3 * p));
  return Math.round(f * 10) / 10; // quantised, so runs of equal width share one path
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

/** PDF operators drawing `h` into `box` (canvas y grows down, PDF y grows up). */
export function inkOperators(h: Handwriting, box: Box, o: InkOptions): PDFOperator[] {
  const bounds = inkBounds(h);
  if (!bounds) return [];
  // Keep the line inside the box: inset by half the widest line.
  const pad = (o.width * 1.7) / 2;
  const inner = { x: box.x + pad, y: box.y + pad, w: box.w - 2 * pad, h: box.h - 2 * pad };
  const bw = Math.max(1, bounds.maxX - bounds.minX);
  const bh = Math.max(1, bounds.maxY - bounds.minY);
  let sx: number;
  let sy: number;
  let ox: number;
  let oy: number;
  if (o.fit === 'fill') {
    sx = inner.w / bw;
    sy = inner.h / bh;
    ox = inner.x;
    oy = inner.y;
  } else {
    sx = sy = Math.min(inner.w / bw, inner.h / bh);
    ox = inner.x;
    oy = inner.y + (inner.h - bh * sy) / 2;
  }
  const X = (p: StrokePoint): number => r2(ox + (p.x - bounds.minX) * sx);
  const Y = (p: StrokePoint): number => r2(oy + (bounds.maxY - p.y) * sy);

  const ops: PDFOperator[] = [pushGraphicsState()];
  if (o.clipTo) {
    const k = o.clipTo;
    ops.push(rectangle(r2(k.x), r2(k.y), r2(k.w), r2(k.h)), clip(), endPath());
  }
  ops.push(
    setStrokingRgbColor(o.color[0], o.color[1], o.color[2]),
    setLineCap(LineCapStyle.Round),
    setLineJoin(LineJoinStyle.Round),
  );
  // With a clip (a seam strip shows a thin slice of the signature), only segments near the
  // strip are written; the clip trims them exactly.
  const c = o.clipTo;
  const margin = o.width * 2;
  const near = (a: StrokePoint, b: StrokePoint): boolean => {
    if (!c) return true;
    const ax = X(a);
    const bx = X(b);
    const ay = Y(a);
    const by = Y(b);
    return (
      Math.max(ax, bx) >= c.x - margin &&
      Math.min(ax, bx) <= c.x + c.w + margin &&
      Math.max(ay, by) >= c.y - margin &&
      Math.min(ay, by) <= c.y + c.h + margin
    );
  };
  let currentWidth = -1;
  const setWidth = (w: number): void => {
    if (w !== currentWidth) {
      ops.push(setLineWidth(r2(w)));
      currentWidth = w;
    }
  };
  for (const s of h.strokes) {
    if (s.length === 0) continue;
    if (s.length === 1) {
      // A dot: a zero-length line with round caps paints a disc (ISO 32000 §8.5.3.2).
      const p = s[0]!;
      if (!near(p, p)) continue;
      setWidth(o.width * widthFactor(p, p));
      ops.push(moveTo(X(p), Y(p)), lineTo(X(p), Y(p)), stroke());
      continue;
    }
    // Runs of segments of one width become one path; a change of width or a gap (segments
    // far from the clip) ends the path, and the next starts at the shared point (round
    // caps hide the join).
    let open = false;
    let runFactor = 0;
    for (let i = 1; i < s.length; i++) {
      const a = s[i - 1]!;
      const b = s[i]!;
      if (!near(a, b)) {
        if (open) ops.push(stroke());
        open = false;
        continue;
      }
      const f = widthFactor(a, b);
      if (open && f !== runFactor) {
        ops.push(stroke());
        open = false;
      }
      if (!open) {
        runFactor = f;
        setWidth(o.width * f);
        ops.push(moveTo(X(a), Y(a)));
        open = true;
      }
      ops.push(lineTo(X(b), Y(b)));
    }
    if (open) ops.push(stroke());
  }
  ops.push(popGraphicsState());
  return ops;
}
