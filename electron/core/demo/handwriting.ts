/**
 * Synthetic handwriting for the demonstration case: deterministic, plausible pen strokes in
 * the signing page's wire format (`[x, y, dt, pressure]` tuples). Each written character is
 * two to five strokes, each a smooth Catmull-Rom curve through a few points inside the
 * character's cell, sampled every 8 ms at a pen speed that slows in the curves; pressure
 * rises at the start of a stroke, wavers, and lifts at the end. Nothing here is anyone's
 * signature: the same seed always draws the same scribble.
 */
import type { HandwritingInput } from '../../shared/api/signing';

/** A small seeded PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pt = { x: number; y: number };

function catmullRom(p0: Pt, p1: Pt, p2: Pt, p3: Pt, u: number): Pt {
  const u2 = u * u;
  const u3 = u2 * u;
  const f = (a: number, b: number, c: number, d: number) =>
    0.5 * (2 * b + (-a + c) * u + (2 * a - 5 * b + 4 * c - d) * u2 + (-a + 3 * b - 3 * c + d) * u3);
  return { x: f(p0.x, p1.x, p2.x, p3.x), y: f(p0.y, p1.y, p2.y, p3.y) };
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export interface HandwritingOptions {
  /** How many characters are written (a name: 2–3; the closing statement: ~13). */
  characters: number;
  seed: number;
  canvas?: { width: number; height: number };
  /** The tablet's clock at the first point (UTC ms). */
  t0: number;
  pointerType?: 'pen' | 'touch' | 'mouse';
}

/**
 * Writes `characters` scribbled characters left to right across the canvas. Returns the
 * wire format the party's signing page sends; `clientNow` is when the last point was drawn
 * plus a moment to press "confirm".
 */
export function syntheticHandwriting(o: HandwritingOptions): HandwritingInput {
  const rand = seeded(o.seed);
  const canvas = o.canvas ?? { width: 600, height: 200 };
  const n = Math.max(1, o.characters);
  const margin = canvas.width * 0.06;
  const cell = (canvas.width - 2 * margin) / n;
  const size = Math.min(cell * 0.86, canvas.height * 0.7);
  const baseline = canvas.height * 0.5;
  const strokes: HandwritingInput['strokes'] = [];
  let t = 0;
  for (let c = 0; c < n; c++) {
    const cx = margin + cell * (c + 0.5) + (rand() - 0.5) * cell * 0.1;
    const cy = baseline + (rand() - 0.5) * canvas.height * 0.08;
    // A slight slant and a size that varies, as a hand does.
    const slant = 0.12 + rand() * 0.1;
    const scale = size * (0.85 + rand() * 0.25);
    const count = 2 + Math.floor(rand() * 4);
    for (let s = 0; s < count; s++) {
      const knots = 3 + Math.floor(rand() * 3);
      const ctrl: Pt[] = [];
      // Strokes of a character tend to run left→right or top→bottom.
      const horizontal = rand() < 0.5;
      for (let k = 0; k < knots; k++) {
        const along = k / (knots - 1) - 0.5;
        const across = (rand() - 0.5) * 0.7;
        const u = horizontal ? along : across;
        const v = horizontal ? across * 0.6 : along;
        ctrl.push({ x: cx + (u + v * slant) * scale, y: cy + v * scale });
      }
      const pts: Pt[] = [];
      const ext = [ctrl[0]!, ...ctrl, ctrl[ctrl.length - 1]!];
      for (let k = 1; k < ext.length - 2; k++) {
        const steps = 10 + Math.floor(rand() * 6);
        for (let i = 0; i < steps; i++)
          pts.push(catmullRom(ext[k - 1]!, ext[k]!, ext[k + 1]!, ext[k + 2]!, i / steps));
      }
      pts.push(ctrl[ctrl.length - 1]!);
      const points: [number, number, number, number][] = [];
      const last = pts.length - 1;
      pts.forEach((p, i) => {
        const u = i / last;
        // Pressure: pen lands, presses, wavers, lifts.
        const envelope = Math.min(1, u * 6) * Math.min(1, (1 - u) * 5);
        const pressure = Math.max(0.05, Math.min(1, 0.2 + 0.55 * envelope + (rand() - 0.5) * 0.08));
        const x = Math.min(canvas.width - 1, Math.max(1, p.x + (rand() - 0.5) * 0.6));
        const y = Math.min(canvas.height - 1, Math.max(1, p.y + (rand() - 0.5) * 0.6));
        points.push([round(x), round(y), Math.round(t), round(pressure, 3)]);
        t += 8;
      });
      strokes.push({ pointerType: o.pointerType ?? 'pen', points });
      // The pen lifts between strokes, longer between characters.
      t += 90 + rand() * 120;
    }
    t += 150 + rand() * 200;
  }
  return { canvas, t0: o.t0, clientNow: o.t0 + Math.round(t) + 400, strokes };
}
