/**
 * Handwriting as a surface sends it, moved onto a clock: the session's for a record signed
 * during a session, the act's own for a form signed at the desk (origin = the act's instant).
 */
import type { HandwritingInput } from '../../../shared/api/signing';
import type { Handwriting } from './model';

/**
 * The strokes' times in ms since `origin`, measuring the surface's clock offset at `at` (the
 * request's arrival), so a tablet whose clock is off still stamps them on the right line.
 */
export function handwritingFromInput(
  input: HandwritingInput,
  at: number,
  origin: number,
): Handwriting {
  const offset = at - input.clientNow;
  return {
    canvas: input.canvas,
    strokes: input.strokes.map((s) =>
      s.points.map(([x, y, dt, pressure]) => ({
        x,
        y,
        t: input.t0 + dt + offset - origin,
        pressure,
        pointerType: s.pointerType,
      })),
    ),
    signedAt: new Date(at).toISOString(),
    atMs: at - origin,
  };
}
