/**
 * QR codes on the disc label (R5.1): each bundle's tag-manifest hash is printed as a code
 * that a phone or a desk scanner reads, and the value is compared with the bag on the disc.
 * The `qrcode` package encodes; the text always goes in as one byte-mode segment (UTF-8) at
 * error correction level M, so the version depends only on its length (the label's payload
 * is version 9) and not on how the package would otherwise split it into segments. The test
 * decodes the output with an independent reader (zbarimg) from version 1 to 40.
 */
import QRCode from 'qrcode';

/** Level M recovers ~15 % of damaged codewords: enough for a printed, handled label. */
const LEVEL = 'M';
/** The most bytes a level-M code holds (version 40, byte mode). */
const MAX_BYTES_M = 2331;

export interface QrCode {
  version: number;
  size: number;
  mask: number;
  /** modules[y][x], true = dark. */
  modules: boolean[][];
}

/** Encodes `text` (UTF-8, byte mode) at level M in the smallest version that holds it. */
export function encodeQr(text: string): QrCode {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_BYTES_M)
    throw new Error(`QR: ${bytes.length} bytes do not fit in a level-M code`);
  const q = QRCode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: LEVEL });
  const size = q.modules.size;
  const modules = Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => q.modules.get(y, x) !== 0),
  );
  return { version: q.version, size, mask: q.maskPattern ?? 0, modules };
}

/** An SVG of the code with a 4-module quiet zone (for screens; the PDF draws rectangles). */
export function qrSvg(code: QrCode, moduleSize = 4): string {
  const n = code.size + 8;
  let path = '';
  code.modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x + 4},${y + 4}h1v1h-1z`;
    }),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}" width="${n * moduleSize}" height="${n * moduleSize}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
