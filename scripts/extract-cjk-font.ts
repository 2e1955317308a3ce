/**
 * Build the CJK fonts shipped in resources/fonts from Debian's Noto Sans CJK collections.
 *
 *   node scripts/extract-cjk-font.ts            # writes resources/fonts/*.otf
 *   node scripts/extract-cjk-font.ts --check    # rebuilds in memory, fails if the files differ
 *
 * Debian ships Noto CJK as .ttc collections: ten faces (JP, KR, SC, TC, HK and their Mono
 * variants) sharing one 15 MB CFF table. A standalone face would be 16.5 MB per weight, so
 * this script keeps only what a Chinese transcript can need and rebuilds a plain OpenType
 * (CFF) font around it: every character the SC Regular face maps except Hangul: Chinese, including the rare
 * characters of CJK Ext. A–G that turn up in names and addresses, plus Latin, Greek,
 * Cyrillic, kana and symbols (8.5 MiB). No Bold is shipped: only the title is bold, and
 * Regular stroked along its outlines looks right there while saving 2 MB in git (the
 * renderer accepts a Bold font program if an agency wants one: `FontBytes.bold`).
 *
 * Glyph outlines come from fontkit's CFF subsetter (the same code that subsets them again
 * into each PDF). OpenType layout tables (GSUB/GPOS/GDEF/BASE) and vertical metrics are
 * dropped: the transcript is set horizontally, one glyph per character. The font is under
 * the SIL Open Font License 1.1 (resources/fonts/LICENSE-OFL.txt); a subset is a Modified
 * Version, which the OFL permits, and the names keep no Reserved Font Name.
 *
 * Runs on Node 24 without a build step (type stripping): only Node built-ins and fontkit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

interface Face {
  postscriptName: string;
  numGlyphs: number;
  characterSet: number[];
  glyphForCodePoint(cp: number): { id: number };
  createSubset(): { includeGlyph(g: number): number; encode(): Uint8Array; glyphs: number[] };
}

interface Build {
  ttc: string;
  face: string;
  out: string;
  keep: (cp: number) => boolean;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NOTO = '/usr/share/fonts/opentype/noto';

function isHangul(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x3130 && cp <= 0x318f) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7ff) ||
    (cp >= 0xffa0 && cp <= 0xffdc)
  );
}

/** The raw tables of the face named `postscriptName` in a TTC (or of a plain sfnt). */
function sfntTables(file: Buffer, postscriptName: string): Map<string, Buffer> {
  const offsets: number[] = [];
  if (file.toString('latin1', 0, 4) === 'ttcf') {
    const n = file.readUInt32BE(8);
    for (let i = 0; i < n; i++) offsets.push(file.readUInt32BE(12 + 4 * i));
  } else {
    offsets.push(0);
  }
  for (const off of offsets) {
    const tables = new Map<string, Buffer>();
    const numTables = file.readUInt16BE(off + 4);
    for (let t = 0; t < numTables; t++) {
      const r = off + 12 + 16 * t;
      const tag = file.toString('latin1', r, r + 4);
      const start = file.readUInt32BE(r + 8);
      tables.set(tag, file.subarray(start, start + file.readUInt32BE(r + 12)));
    }
    if (postScriptNameOf(tables.get('name')!) === postscriptName) return tables;
  }
  throw new Error(`face ${postscriptName} not found`);
}

/** name ID 6 (PostScript name) from a name table, Windows Unicode record. */
function postScriptNameOf(name: Buffer): string | null {
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const r = 6 + 12 * i;
    if (name.readUInt16BE(r) === 3 && name.readUInt16BE(r + 6) === 6) {
      const len = name.readUInt16BE(r + 8);
      const at = strings + name.readUInt16BE(r + 10);
      // Copy first: swap16 works in place and would corrupt the table we copy later.
      return Buffer.from(name.subarray(at, at + len))
        .swap16()
        .toString('utf16le');
    }
  }
  return null;
}

/** cmap with format 4 (BMP) and format 12 (all planes) subtables, Unicode and Windows records. */
function buildCmap(map: Map<number, number>): Buffer {
  const cps = [...map.keys()].sort((a, b) => a - b);

  // Format 12: runs where both the code point and the glyph id go up by one.
  const groups: [number, number, number][] = [];
  for (const cp of cps) {
    const gid = map.get(cp)!;
    const last = groups[groups.length - 1];
    if (last && cp === last[1] + 1 && gid === last[2] + (cp - last[0])) last[1] = cp;
    else groups.push([cp, cp, gid]);
  }
  const f12 = Buffer.alloc(16 + 12 * groups.length);
  f12.writeUInt16BE(12, 0);
  f12.writeUInt32BE(f12.length, 4);
  f12.writeUInt32BE(groups.length, 12);
  groups.forEach(([s, e, g], i) => {
    f12.writeUInt32BE(s, 16 + 12 * i);
    f12.writeUInt32BE(e, 20 + 12 * i);
    f12.writeUInt32BE(g, 24 + 12 * i);
  });

  // Format 4: the same runs restricted to the BMP, as idDelta segments, plus the 0xFFFF end.
  const segs: [number, number, number][] = [];
  for (const [s, e, g] of groups) {
    if (s > 0xfffe) break;
    segs.push([s, Math.min(e, 0xfffe), (g - s) & 0xffff]);
  }
  segs.push([0xffff, 0xffff, 1]);
  const segCount = segs.length;
  const f4 = Buffer.alloc(16 + 8 * segCount);
  if (f4.length > 0xffff) throw new Error(`format 4 cmap too large (${segCount} segments)`);
  const searchRange = 2 * 2 ** Math.floor(Math.log2(segCount));
  f4.writeUInt16BE(4, 0);
  f4.writeUInt16BE(f4.length, 2);
  f4.writeUInt16BE(segCount * 2, 6);
  f4.writeUInt16BE(searchRange, 8);
  f4.writeUInt16BE(Math.log2(searchRange / 2), 10);
  f4.writeUInt16BE(segCount * 2 - searchRange, 12);
  segs.forEach(([s, e, d], i) => {
    f4.writeUInt16BE(e, 14 + 2 * i);
    f4.writeUInt16BE(s, 16 + 2 * segCount + 2 * i);
    f4.writeUInt16BE(d, 16 + 4 * segCount + 2 * i);
    // idRangeOffset stays 0: every segment maps by delta.
  });

  const records: [number, number, 'f4' | 'f12'][] = [
    [0, 3, 'f4'],
    [0, 4, 'f12'],
    [3, 1, 'f4'],
    [3, 10, 'f12'],
  ];
  const head = Buffer.alloc(4 + 8 * records.length);
  head.writeUInt16BE(records.length, 2);
  const f4At = head.length;
  const f12At = f4At + f4.length;
  records.forEach(([p, e, which], i) => {
    head.writeUInt16BE(p, 4 + 8 * i);
    head.writeUInt16BE(e, 6 + 8 * i);
    head.writeUInt32BE(which === 'f4' ? f4At : f12At, 8 + 8 * i);
  });
  return Buffer.concat([head, f4, f12]);
}

function checksum(buf: Buffer): number {
  const padded = Buffer.concat([buf, Buffer.alloc((4 - (buf.length % 4)) % 4)]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** Assemble an OpenType (CFF) file from tables, with checksums and checkSumAdjustment. */
function assemble(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const n = tags.length;
  const searchRange = 16 * 2 ** Math.floor(Math.log2(n));
  const header = Buffer.alloc(12 + 16 * n);
  header.write('OTTO', 0, 'latin1');
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(Math.log2(searchRange / 16), 8);
  header.writeUInt16BE(n * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const r = 12 + 16 * i;
    header.write(tag, r, 'latin1');
    header.writeUInt32BE(checksum(data), r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(data.length, r + 12);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  const font = Buffer.concat([header, ...bodies]);
  const headAt = header.readUInt32BE(12 + 16 * tags.indexOf('head') + 8);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headAt + 8);
  return font;
}

function build(spec: Build): Buffer {
  const file = readFileSync(spec.ttc);
  const collection = fontkit.create(file) as unknown as { fonts: Face[] };
  const face = collection.fonts.find((f) => f.postscriptName === spec.face);
  if (!face) throw new Error(`${spec.face} not in ${spec.ttc}`);
  const raw = sfntTables(file, spec.face);

  // Include glyphs in code point order so that consecutive characters get consecutive
  // glyph ids and the cmap collapses into few, long runs.
  const subset = face.createSubset();
  const cmap = new Map<number, number>();
  const cps = face.characterSet.filter(spec.keep).sort((a, b) => a - b);
  for (const cp of cps) {
    const gid = face.glyphForCodePoint(cp).id;
    if (gid === 0) continue;
    cmap.set(cp, subset.includeGlyph(gid));
  }
  const cff = Buffer.from(subset.encode());
  const oldGids = subset.glyphs; // new gid → old gid
  const n = oldGids.length;

  // hmtx: one full metric per glyph (advance, left side bearing) from the original.
  const hhea = Buffer.from(raw.get('hhea')!);
  const oldMetrics = hhea.readUInt16BE(34);
  const oldHmtx = raw.get('hmtx')!;
  const hmtx = Buffer.alloc(4 * n);
  oldGids.forEach((old, i) => {
    const m = Math.min(old, oldMetrics - 1);
    hmtx.writeUInt16BE(oldHmtx.readUInt16BE(4 * m), 4 * i);
    const lsb =
      old < oldMetrics
        ? oldHmtx.readInt16BE(4 * old + 2)
        : oldHmtx.readInt16BE(4 * oldMetrics + 2 * (old - oldMetrics));
    hmtx.writeInt16BE(lsb, 4 * i + 2);
  });
  hhea.writeUInt16BE(n, 34);

  const maxp = Buffer.from(raw.get('maxp')!);
  maxp.writeUInt16BE(n, 4);

  const head = Buffer.from(raw.get('head')!);
  head.writeUInt32BE(0, 8); // checkSumAdjustment, set by assemble()

  const os2 = Buffer.from(raw.get('OS/2')!);
  const bmp = [...cmap.keys()].filter((c) => c <= 0xffff);
  os2.writeUInt16BE(Math.min(...bmp), 64); // usFirstCharIndex
  os2.writeUInt16BE(Math.max(...bmp), 66); // usLastCharIndex

  const tables = new Map<string, Buffer>([
    ['CFF ', cff],
    ['OS/2', os2],
    ['cmap', buildCmap(cmap)],
    ['head', head],
    ['hhea', hhea],
    ['hmtx', hmtx],
    ['maxp', maxp],
    ['name', Buffer.from(raw.get('name')!)],
    ['post', Buffer.from(raw.get('post')!)],
  ]);
  const out = assemble(tables);
  console.log(
    `${spec.out}: ${cmap.size} characters, ${n} glyphs, ${(out.length / 1048576).toFixed(2)} MiB`,
  );
  return out;
}

const builds: Build[] = [
  {
    ttc: join(NOTO, 'NotoSansCJK-Regular.ttc'),
    face: 'NotoSansCJKsc-Regular',
    out: 'resources/fonts/NotoSansCJKsc-Regular.subset.otf',
    keep: (cp) => !isHangul(cp),
  },
];

const check = process.argv.includes('--check');
let differs = false;
for (const spec of builds) {
  const font = build(spec);
  const target = join(root, spec.out);
  if (check) {
    const same = readFileSync(target).equals(font);
    if (!same) differs = true;
    console.log(`${spec.out}: ${same ? 'identical' : 'DIFFERS'}`);
  } else {
    writeFileSync(target, font);
  }
}
if (differs) process.exit(1);
