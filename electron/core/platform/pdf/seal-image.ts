/**
 * A stand-in for an agency's seal image (公章): a red round seal, a thick ring and a
 * five-pointed star, on a transparent background, written as a PNG with nothing but
 * node:zlib. Demos and tests print with it; an agency uploads a photo of its own seal,
 * which {@link pngSize} checks is a PNG before it is stored.
 */
import { deflateSync } from 'node:zlib';

/** The red of seal ink (#d0021b). */
const SEAL_RED = [0xd0, 0x02, 0x1b] as const;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG chunks carry it (ISO 3309, the one zip and gzip use). */
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA image (`rgba` row by row, 4 bytes a pixel) as a PNG file. */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('RGBA data does not match the size');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // colour type: RGB with alpha
  // compression, filter method and interlace stay 0 (deflate, adaptive, none)
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter type 0 (None) per row: the image is mostly flat, deflate does the rest.
    raw[y * (stride + 1)] = 0;
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The ten corners of a five-pointed star of radius `outer`, one point straight up. */
function starPolygon(outer: number): [number, number][] {
  // The inner radius that makes the edges of opposite points line up (a regular star).
  const inner = (outer * Math.sin(Math.PI / 10)) / Math.sin((3 * Math.PI) / 10);
  return Array.from({ length: 10 }, (_, k) => {
    const a = Math.PI / 2 + (k * Math.PI) / 5;
    const r = k % 2 ? inner : outer;
    return [r * Math.cos(a), r * Math.sin(a)];
  });
}

/** Even–odd ray casting; the star's outline does not cross itself. */
function inside(poly: [number, number][], x: number, y: number): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/**
 * A red round seal `size` pixels square (300 by default): a ring about a tenth of the
 * radius thick and a star in the middle, edges anti-aliased by 4×4 supersampling.
 */
export function drawSealPng(o: { size?: number } = {}): Buffer {
  const size = Math.round(o.size ?? 300);
  if (!(size >= 16 && size <= 4096)) throw new Error('a seal image is 16 to 4096 pixels wide');
  const ringOuter = 0.97;
  const ringInner = 0.87;
  const starOuter = 0.36;
  const star = starPolygon(starOuter);
  const half = size / 2;
  const n = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          // Unit coordinates: the centre is 0, the edge of the image 1, y grows upwards.
          const x = (px + (sx + 0.5) / n - half) / half;
          const y = (half - (py + (sy + 0.5) / n)) / half;
          const r = Math.hypot(x, y);
          if ((r >= ringInner && r <= ringOuter) || (r <= starOuter && inside(star, x, y))) {
            covered++;
          }
        }
      }
      if (!covered) continue;
      const i = (py * size + px) * 4;
      rgba[i] = SEAL_RED[0];
      rgba[i + 1] = SEAL_RED[1];
      rgba[i + 2] = SEAL_RED[2];
      rgba[i + 3] = Math.round((covered / (n * n)) * 255);
    }
  }
  return encodeRgbaPng(size, size, rgba);
}

/**
 * Width and height from a PNG's header. Throws `not a PNG image` for anything else, so an
 * uploaded seal in another format is refused before it is stored.
 */
export function pngSize(png: Buffer): { width: number; height: number } {
  const ok =
    png.length >= 33 &&
    png.subarray(0, 8).equals(PNG_SIGNATURE) &&
    png.toString('latin1', 12, 16) === 'IHDR';
  const width = ok ? png.readUInt32BE(16) : 0;
  const height = ok ? png.readUInt32BE(20) : 0;
  if (!width || !height) throw new Error('not a PNG image');
  return { width, height };
}
