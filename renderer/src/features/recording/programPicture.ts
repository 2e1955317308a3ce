/**
 * The program picture composed in the cameras' own I420 form. Drawn on a 2D canvas, every
 * program frame cost a conversion of the main picture to RGBA, a read-back of the canvas into
 * a new frame and a conversion back to I420 for the encoder, with a fresh 3.6 MB buffer each
 * time: about 0.6 of a core at 30 fps on a two-core machine, taken from the cameras. Here the
 * main picture's planes are copied as they are, the inset is scaled into its corner, and the
 * caption (drawn with a canvas once a second, when its text changes) is blended into its box.
 * Pure functions over byte arrays, so the rules are tested without a browser.
 */

/** An I420 picture in one buffer: Y (width × height), then U and V (each a quarter of that). */
export interface I420 {
  width: number;
  height: number;
  data: Uint8Array;
}

export function newI420(width: number, height: number): I420 {
  return { width, height, data: new Uint8Array((width * height * 3) / 2) };
}

/** Where each plane starts, and the chroma planes' width. */
function planes(p: I420) {
  const cw = p.width / 2;
  const ySize = p.width * p.height;
  return { cw, u: ySize, v: ySize + cw * (p.height / 2) };
}

/** Whether a picture of this size can be held as I420 here (both sides even). */
export function evenSize(width: number, height: number): boolean {
  return width > 0 && height > 0 && width % 2 === 0 && height % 2 === 0;
}

/** The inset's place: 30% of the width, its own aspect, 16 px from the bottom right corner. */
export function insetRect(
  width: number,
  height: number,
  insetWidth: number,
  insetHeight: number,
): { x: number; y: number; w: number; h: number } {
  const even = (n: number) => 2 * Math.round(n / 2);
  const w = even(width * 0.3);
  const h = even((w * insetHeight) / Math.max(1, insetWidth));
  return { x: even(width - w - 16), y: even(height - h - 16), w, h };
}

/** White, in the picture's range. */
export function white(fullRange: boolean): [number, number, number] {
  return [fullRange ? 255 : 235, 128, 128];
}

/** Fills a rectangle (even position and size) with one colour. */
export function fillRect(
  out: I420,
  x: number,
  y: number,
  w: number,
  h: number,
  [Y, U, V]: [number, number, number],
): void {
  const o = planes(out);
  for (let r = y; r < y + h; r++) out.data.fill(Y, r * out.width + x, r * out.width + x + w);
  for (let r = y / 2; r < (y + h) / 2; r++) {
    out.data.fill(U, o.u + r * o.cw + x / 2, o.u + r * o.cw + (x + w) / 2);
    out.data.fill(V, o.v + r * o.cw + x / 2, o.v + r * o.cw + (x + w) / 2);
  }
}

/**
 * Scales `src` into `out` at (x, y), `w` × `h` (even), sampling each plane bilinearly.
 */
export function scaleInto(src: I420, out: I420, x: number, y: number, w: number, h: number): void {
  const s = planes(src);
  const o = planes(out);
  scalePlane(
    src.data,
    0,
    src.width,
    src.width,
    src.height,
    out.data,
    y * out.width + x,
    out.width,
    w,
    h,
  );
  const sw = src.width / 2;
  const sh = src.height / 2;
  const at = (y / 2) * o.cw + x / 2;
  scalePlane(src.data, s.u, sw, sw, sh, out.data, o.u + at, o.cw, w / 2, h / 2);
  scalePlane(src.data, s.v, sw, sw, sh, out.data, o.v + at, o.cw, w / 2, h / 2);
}

function scalePlane(
  src: Uint8Array,
  srcAt: number,
  srcStride: number,
  sw: number,
  sh: number,
  dst: Uint8Array,
  dstAt: number,
  dstStride: number,
  dw: number,
  dh: number,
): void {
  const fx = sw / dw;
  const fy = sh / dh;
  for (let r = 0; r < dh; r++) {
    const syf = Math.max(0, (r + 0.5) * fy - 0.5);
    const y0 = Math.min(sh - 1, Math.floor(syf));
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = syf - y0;
    const row0 = srcAt + y0 * srcStride;
    const row1 = srcAt + y1 * srcStride;
    const d = dstAt + r * dstStride;
    for (let c = 0; c < dw; c++) {
      const sxf = Math.max(0, (c + 0.5) * fx - 0.5);
      const x0 = Math.min(sw - 1, Math.floor(sxf));
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = sxf - x0;
      const top = src[row0 + x0]! + (src[row0 + x1]! - src[row0 + x0]!) * wx;
      const bottom = src[row1 + x0]! + (src[row1 + x1]! - src[row1 + x0]!) * wx;
      dst[d + c] = (top + (bottom - top) * wy + 0.5) | 0;
    }
  }
}

/**
 * A caption made ready to blend: its colour per pixel (Y) and per 2×2 block (U, V) with the
 * matching coverage, from the RGBA (not premultiplied) a canvas drew.
 */
export interface Overlay {
  width: number;
  height: number;
  y: Uint8Array;
  yAlpha: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
  cAlpha: Uint8Array;
}

/** Converts RGBA (even size) to an overlay, with BT.601 coefficients in the picture's range. */
export function overlayFromRgba(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  fullRange: boolean,
): Overlay {
  const cw = width / 2;
  const ch = height / 2;
  const o: Overlay = {
    width,
    height,
    y: new Uint8Array(width * height),
    yAlpha: new Uint8Array(width * height),
    u: new Uint8Array(cw * ch),
    v: new Uint8Array(cw * ch),
    cAlpha: new Uint8Array(cw * ch),
  };
  const [ky, ko, kc] = fullRange ? [1, 0, 1] : [219 / 255, 16, 224 / 255];
  for (let i = 0; i < width * height; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    o.y[i] = Math.round(ko + ky * (0.299 * r + 0.587 * g + 0.114 * b));
    o.yAlpha[i] = rgba[i * 4 + 3]!;
  }
  for (let r = 0; r < ch; r++)
    for (let c = 0; c < cw; c++) {
      let R = 0;
      let G = 0;
      let B = 0;
      let A = 0;
      for (const [dy, dx] of [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ] as const) {
        const i = ((2 * r + dy) * width + 2 * c + dx) * 4;
        const a = rgba[i + 3]!;
        R += rgba[i]! * a;
        G += rgba[i + 1]! * a;
        B += rgba[i + 2]! * a;
        A += a;
      }
      const j = r * cw + c;
      o.cAlpha[j] = Math.round(A / 4);
      if (A > 0) {
        R /= A;
        G /= A;
        B /= A;
      }
      o.u[j] = Math.round(128 + kc * (-0.168736 * R - 0.331264 * G + 0.5 * B));
      o.v[j] = Math.round(128 + kc * (0.5 * R - 0.418688 * G - 0.081312 * B));
    }
  return o;
}

/** Blends an overlay into `out` at (x, y) (even), clipped to the picture. */
export function blendOverlay(out: I420, overlay: Overlay, x: number, y: number): void {
  const o = planes(out);
  const w = Math.min(overlay.width, out.width - x);
  const h = Math.min(overlay.height, out.height - y);
  for (let r = 0; r < h; r++) {
    const d = (y + r) * out.width + x;
    const s = r * overlay.width;
    for (let c = 0; c < w; c++) {
      const a = overlay.yAlpha[s + c]!;
      if (a === 0) continue;
      out.data[d + c] = (out.data[d + c]! * (255 - a) + overlay.y[s + c]! * a + 127) / 255;
    }
  }
  const cw = overlay.width / 2;
  for (let r = 0; r < h / 2; r++) {
    const d = (y / 2 + r) * o.cw + x / 2;
    const s = r * cw;
    for (let c = 0; c < w / 2; c++) {
      const a = overlay.cAlpha[s + c]!;
      if (a === 0) continue;
      out.data[o.u + d + c] =
        (out.data[o.u + d + c]! * (255 - a) + overlay.u[s + c]! * a + 127) / 255;
      out.data[o.v + d + c] =
        (out.data[o.v + d + c]! * (255 - a) + overlay.v[s + c]! * a + 127) / 255;
    }
  }
}

/** Copies an NV12 picture (Y, then interleaved UV) into I420. */
export function nv12ToI420(nv12: Uint8Array, out: I420): void {
  const o = planes(out);
  out.data.set(nv12.subarray(0, o.u), 0);
  const n = o.cw * (out.height / 2);
  for (let i = 0; i < n; i++) {
    out.data[o.u + i] = nv12[o.u + 2 * i]!;
    out.data[o.v + i] = nv12[o.u + 2 * i + 1]!;
  }
}
