/** The program picture's I420 rules: the inset's place, scaling, the border, the caption's blend. */
import { describe, expect, it } from 'vitest';
import {
  blendOverlay,
  evenSize,
  fillRect,
  insetRect,
  newI420,
  nv12ToI420,
  overlayFromRgba,
  scaleInto,
  white,
  type I420,
} from '../../../renderer/src/features/recording/programPicture';

const y = (p: I420, x: number, r: number) => p.data[r * p.width + x]!;
const u = (p: I420, x: number, r: number) => p.data[p.width * p.height + r * (p.width / 2) + x]!;
const v = (p: I420, x: number, r: number) =>
  p.data[p.width * p.height * 1.25 + r * (p.width / 2) + x]!;

/** A picture whose luma is `f(x, y)` and whose chroma planes are one value each. */
function picture(w: number, h: number, f: (x: number, y: number) => number, U = 90, V = 160) {
  const p = newI420(w, h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) p.data[r * w + c] = f(c, r);
  p.data.fill(U, w * h, w * h * 1.25);
  p.data.fill(V, w * h * 1.25);
  return p;
}

describe('the program picture in I420', () => {
  it('places the inset at 30% of the width, its own shape, 16 px from the corner, on even lines', () => {
    expect(insetRect(1280, 720, 1280, 720)).toEqual({ x: 880, y: 488, w: 384, h: 216 });
    expect(insetRect(1280, 720, 640, 480)).toEqual({ x: 880, y: 416, w: 384, h: 288 });
    const odd = insetRect(1278, 718, 1001, 563);
    for (const n of Object.values(odd)) expect(n % 2).toBe(0);
    expect(evenSize(1280, 720)).toBe(true);
    expect(evenSize(1279, 720)).toBe(false);
    expect(evenSize(0, 720)).toBe(false);
  });

  it('copies a picture of the same size exactly and halves one twice its size', () => {
    const src = picture(8, 4, (x, r) => 10 * x + r);
    const same = newI420(8, 4);
    scaleInto(src, same, 0, 0, 8, 4);
    expect([...same.data]).toEqual([...src.data]);

    // Halved: each output pixel sits between two source pixels and takes their mean.
    const big = picture(8, 8, (x) => (x < 4 ? 40 : 200));
    const out = picture(8, 8, () => 7, 1, 2);
    scaleInto(big, out, 2, 2, 4, 4);
    expect([y(out, 2, 2), y(out, 3, 2), y(out, 4, 2), y(out, 5, 2)]).toEqual([40, 40, 200, 200]);
    expect(u(out, 1, 1)).toBe(90);
    expect(v(out, 2, 2)).toBe(160);
    // Outside the rectangle nothing changed.
    expect(y(out, 1, 2)).toBe(7);
    expect(y(out, 6, 2)).toBe(7);
    expect(y(out, 2, 6)).toBe(7);
    expect(u(out, 0, 0)).toBe(1);
    expect(v(out, 3, 3)).toBe(2);
  });

  it('fills the inset border white in the picture’s range, and only there', () => {
    const p = picture(8, 8, () => 50);
    fillRect(p, 2, 2, 4, 2, white(false));
    expect([y(p, 2, 2), y(p, 5, 3), u(p, 1, 1), v(p, 2, 1)]).toEqual([235, 235, 128, 128]);
    expect([y(p, 1, 2), y(p, 6, 2), y(p, 2, 4), u(p, 0, 1), u(p, 1, 2)]).toEqual([
      50, 50, 50, 90, 90,
    ]);
    expect(white(true)[0]).toBe(255);
  });

  it('blends the caption by its coverage: clear leaves the picture, white text is white, the box darkens', () => {
    // Four 2×2 blocks side by side: clear, opaque white, the caption box (black at 55%), and
    // half a block covered by white.
    const w = 8;
    const rgba = new Uint8Array(w * 2 * 4);
    const set = (x: number, r: number, px: number[]) => rgba.set(px, (r * w + x) * 4);
    for (const r of [0, 1]) {
      set(2, r, [255, 255, 255, 255]);
      set(3, r, [255, 255, 255, 255]);
      set(4, r, [0, 0, 0, 140]);
      set(5, r, [0, 0, 0, 140]);
      set(6, r, [255, 255, 255, 255]);
    }
    const overlay = overlayFromRgba(rgba, w, 2, false);
    const p = picture(12, 4, () => 200);
    blendOverlay(p, overlay, 2, 0);
    expect([y(p, 2, 0), y(p, 3, 1)]).toEqual([200, 200]);
    expect([y(p, 4, 0), u(p, 2, 0), v(p, 2, 0)]).toEqual([235, 128, 128]);
    // 200 × 115/255 + 16 (black) × 140/255 ≈ 99; the colour moves toward grey by as much.
    expect(y(p, 6, 0)).toBe(99);
    expect(u(p, 3, 0)).toBe(Math.trunc((90 * 115 + 128 * 140 + 127) / 255));
    // Half the block covered: luma per pixel, chroma by the block's mean coverage.
    expect([y(p, 8, 0), y(p, 9, 0)]).toEqual([235, 200]);
    expect(u(p, 4, 0)).toBe(Math.trunc((90 * 127 + 128 * 128 + 127) / 255));
    // Beyond the overlay, and beyond the picture's edge when it would overhang, untouched.
    expect(y(p, 10, 0)).toBe(200);
    blendOverlay(p, overlay, 6, 2);
    expect(y(p, 8, 2)).toBe(235);
    expect(p.data.length).toBe(12 * 4 * 1.5);
  });

  it('takes the full range’s black and white when the picture is full range', () => {
    const o = overlayFromRgba(
      new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255].concat([0, 0, 0, 255, 255, 255, 255, 255])),
      2,
      2,
      true,
    );
    expect([...o.y]).toEqual([0, 255, 0, 255]);
    expect([o.u[0], o.v[0], o.cAlpha[0]]).toEqual([128, 128, 255]);
  });

  it('reads NV12 into I420', () => {
    const nv12 = new Uint8Array(4 * 2 * 1.5);
    nv12.set([1, 2, 3, 4, 5, 6, 7, 8]); // luma
    nv12.set([20, 30, 21, 31], 8); // U, V interleaved
    const out = newI420(4, 2);
    nv12ToI420(nv12, out);
    expect([...out.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 20, 21, 30, 31]);
  });
});
