/**
 * Handwriting from the signature pad to the wire format the core takes
 * (electron/shared/api/signing.ts): every sampled point, as `[x, y, dt, pressure]`, one pointer
 * type per stroke. Nothing is thinned or smoothed: the strokes are evidence.
 */
import type { BasicPoint } from 'signature_pad';
import type { HandwritingInput, PointerKind } from '@shared/api/signing';
import { HANDWRITING_LIMITS } from '@shared/api/signing';

/** One stroke as signature_pad keeps it, with the pointer that drew it. */
export interface PadStroke {
  points: readonly BasicPoint[];
  pointerType: string;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;
const r4 = (v: number): number => Math.round(v * 10_000) / 10_000;

export function pointerKind(type: string | undefined): PointerKind {
  return type === 'pen' || type === 'touch' ? type : 'mouse';
}

/** How many points the strokes hold, all together. */
export function pointCount(strokes: readonly PadStroke[]): number {
  return strokes.reduce((n, s) => n + s.points.length, 0);
}

/**
 * The strokes in the wire format, or null when there is nothing to send (no points) or too
 * much (over {@link HANDWRITING_LIMITS.maxPoints}: the pad asks for a shorter signature).
 */
export function toHandwritingInput(
  strokes: readonly PadStroke[],
  canvas: { width: number; height: number },
  clientNow: number,
): HandwritingInput | null {
  const drawn = strokes.filter((s) => s.points.length > 0);
  const total = pointCount(drawn);
  if (total < 2 || total > HANDWRITING_LIMITS.maxPoints) return null;
  const t0 = Math.min(...drawn.map((s) => s.points[0]!.time));
  return {
    canvas: {
      width: Math.max(1, Math.min(HANDWRITING_LIMITS.maxCanvas, Math.round(canvas.width))),
      height: Math.max(1, Math.min(HANDWRITING_LIMITS.maxCanvas, Math.round(canvas.height))),
    },
    t0,
    clientNow,
    strokes: drawn.map((s) => ({
      pointerType: pointerKind(s.pointerType),
      points: s.points.map(
        (p) =>
          [
            r2(p.x),
            r2(p.y),
            Math.max(0, p.time - t0),
            r4(Math.min(1, Math.max(0, p.pressure || 0))),
          ] as [number, number, number, number],
      ),
    })),
  };
}
