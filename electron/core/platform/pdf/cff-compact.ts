/**
 * Drop unused subroutines from a CFF subset. fontkit's subsetter keeps one slot for every
 * subroutine of the original font (unused ones become a 1-byte `return`) because renumbering
 * would mean rewriting the charstrings. Noto Sans CJK has ~31,000 local subroutines, so
 * every embedded subset carried ~90 KB of empty slots (~50 KB compressed), even for four
 * characters. This pass renumbers the subroutines the glyphs actually call and rewrites the
 * call operands accordingly.
 *
 * It handles the CID-keyed CFF that fontkit's subsetter writes. Anything unexpected (an
 * arithmetic operator, a computed subroutine number, a malformed structure) makes it return
 * the input unchanged: a larger file, never a wrong glyph.
 */

import type { Font, FontCollection } from 'fontkit';

/** A parsed INDEX: its items as views into the source. */
function readIndex(buf: Uint8Array, at: number): { items: Uint8Array[]; end: number } {
  const count = (buf[at]! << 8) | buf[at + 1]!;
  if (count === 0) return { items: [], end: at + 2 };
  const offSize = buf[at + 2]!;
  const offsetAt = at + 3;
  const readOff = (i: number): number => {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + buf[offsetAt + i * offSize + k]!;
    return v;
  };
  const dataStart = offsetAt + (count + 1) * offSize - 1;
  const items: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    items.push(buf.subarray(dataStart + readOff(i), dataStart + readOff(i + 1)));
  }
  return { items, end: dataStart + readOff(count) };
}

function writeIndex(items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return new Uint8Array([0, 0]);
  const dataLen = items.reduce((n, it) => n + it.length, 0);
  const offSize =
    dataLen + 1 < 0x100 ? 1 : dataLen + 1 < 0x10000 ? 2 : dataLen + 1 < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(3 + (items.length + 1) * offSize + dataLen);
  out[0] = items.length >> 8;
  out[1] = items.length & 0xff;
  out[2] = offSize;
  let off = 1;
  let p = 3 + (items.length + 1) * offSize;
  const writeOff = (i: number, v: number): void => {
    for (let k = offSize - 1; k >= 0; k--) {
      out[3 + i * offSize + k] = v & 0xff;
      v = Math.floor(v / 256);
    }
  };
  items.forEach((it, i) => {
    writeOff(i, off);
    out.set(it, p);
    p += it.length;
    off += it.length;
  });
  writeOff(items.length, off);
  return out;
}

/** A DICT entry: raw operand bytes (kept as they were) plus decoded integer values. */
interface DictEntry {
  op: number; // 12xx for escaped operators
  raw: Uint8Array;
  ints: number[];
}

function readDict(d: Uint8Array): DictEntry[] {
  const entries: DictEntry[] = [];
  let start = 0;
  let ints: number[] = [];
  let i = 0;
  while (i < d.length) {
    const b = d[i]!;
    if (b <= 21) {
      const op = b === 12 ? 1200 + d[i + 1]! : b;
      entries.push({ op, raw: d.subarray(start, i), ints });
      i += b === 12 ? 2 : 1;
      start = i;
      ints = [];
    } else if (b === 28) {
      ints.push(((d[i + 1]! << 24) >> 16) | d[i + 2]!);
      i += 3;
    } else if (b === 29) {
      ints.push((d[i + 1]! << 24) | (d[i + 2]! << 16) | (d[i + 3]! << 8) | d[i + 4]!);
      i += 5;
    } else if (b === 30) {
      i++;
      while (i < d.length && (d[i]! & 0x0f) !== 0x0f && (d[i]! & 0xf0) !== 0xf0) i++;
      i++;
      ints.push(NaN); // a real: never an offset, kept raw
    } else if (b >= 32 && b <= 246) {
      ints.push(b - 139);
      i++;
    } else if (b >= 247 && b <= 250) {
      ints.push((b - 247) * 256 + d[i + 1]! + 108);
      i += 2;
    } else if (b >= 251 && b <= 254) {
      ints.push(-(b - 251) * 256 - d[i + 1]! - 108);
      i += 2;
    } else {
      throw new Error(`bad DICT byte ${b}`);
    }
  }
  return entries;
}

/** A DICT with some entries' operands replaced by fixed-width (5-byte) integers. */
function writeDict(entries: DictEntry[], replace: Map<number, number[]>): Uint8Array {
  const parts: number[] = [];
  for (const e of entries) {
    const values = replace.get(e.op);
    if (values) {
      for (const v of values)
        parts.push(29, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    } else {
      parts.push(...e.raw);
    }
    if (e.op >= 1200) parts.push(12, e.op - 1200);
    else parts.push(e.op);
  }
  return new Uint8Array(parts);
}

function bias(count: number): number {
  return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

/** Shortest Type 2 charstring encoding of an integer. */
function encodeInt(v: number): number[] {
  if (v >= -107 && v <= 107) return [v + 139];
  if (v >= 108 && v <= 1131) {
    const w = v - 108;
    return [247 + (w >> 8), w & 0xff];
  }
  if (v >= -1131 && v <= -108) {
    const w = -v - 108;
    return [251 + (w >> 8), w & 0xff];
  }
  return [28, (v >> 8) & 0xff, v & 0xff];
}

class Unsupported extends Error {}

/** A call inside a charstring: where its subroutine-number operand is, and which subroutine. */
interface Call {
  pos: number;
  len: number;
  global: boolean;
  index: number;
}

interface Segment {
  code: Uint8Array;
  calls: Call[] | null; // null until first executed
}

/**
 * Interpreter state shared across subroutine calls. The operand stack is shared too: a
 * subroutinizer cuts charstrings anywhere, so a subroutine may push the arguments of a
 * stem hint that its caller then declares.
 */
interface ExecState {
  stems: number;
  depth: number;
  stack: { v: number; pos: number; len: number; seg: Segment }[];
}

/**
 * Execute a charstring far enough to find its subroutine calls: numbers, stem hints (for
 * the length of hintmask data) and calls; everything else only clears the stack.
 */
function execute(
  seg: Segment,
  locals: Segment[],
  globals: Segment[],
  state: ExecState,
  usedLocal: Set<number>,
  usedGlobal: Set<number>,
): 'return' | 'end' {
  if (++state.depth > 10) throw new Unsupported('subroutine nesting too deep');
  const record = seg.calls === null;
  const calls: Call[] = [];
  const code = seg.code;
  const stack = state.stack;
  let i = 0;
  let result: 'return' | 'end' | null = null;
  while (i < code.length && result === null) {
    const b = code[i]!;
    if (b >= 32 || b === 28) {
      let v: number;
      let len: number;
      if (b === 28) {
        v = ((code[i + 1]! << 24) >> 16) | code[i + 2]!;
        len = 3;
      } else if (b <= 246) {
        v = b - 139;
        len = 1;
      } else if (b <= 250) {
        v = (b - 247) * 256 + code[i + 1]! + 108;
        len = 2;
      } else if (b <= 254) {
        v = -(b - 251) * 256 - code[i + 1]! - 108;
        len = 2;
      } else {
        v = NaN; // 16.16 fixed: never a subroutine number
        len = 5;
      }
      stack.push({ v, pos: i, len, seg });
      i += len;
      continue;
    }
    switch (b) {
      case 1: // hstem
      case 3: // vstem
      case 18: // hstemhm
      case 23: // vstemhm
        state.stems += stack.length >> 1;
        stack.length = 0;
        i++;
        break;
      case 19: // hintmask
      case 20: // cntrmask
        state.stems += stack.length >> 1; // implicit vstem
        stack.length = 0;
        i += 1 + ((state.stems + 7) >> 3);
        break;
      case 10: // callsubr
      case 29: {
        // callgsubr
        const global = b === 29;
        const top = stack.pop();
        // The number must be a literal just pushed by this charstring, or we cannot rewrite it.
        if (!top || top.seg !== seg || !Number.isInteger(top.v)) {
          throw new Unsupported('computed subroutine number');
        }
        const list = global ? globals : locals;
        const index = top.v + bias(list.length);
        const target = list[index];
        if (!target) throw new Unsupported('subroutine out of range');
        (global ? usedGlobal : usedLocal).add(index);
        calls.push({ pos: top.pos, len: top.len, global, index });
        if (execute(target, locals, globals, state, usedLocal, usedGlobal) === 'end') {
          result = 'end';
        }
        i++;
        break;
      }
      case 11: // return
        result = 'return';
        break;
      case 14: // endchar
        result = 'end';
        break;
      case 12: {
        const op2 = code[i + 1]!;
        // flex family (34–37) only; arithmetic and storage operators are not handled.
        if (op2 < 34 || op2 > 37) throw new Unsupported(`escape operator 12 ${op2}`);
        stack.length = 0;
        i += 2;
        break;
      }
      default:
        if (b === 0 || b === 2 || b === 9 || b === 13 || b === 15 || b === 16 || b === 17) {
          throw new Unsupported(`reserved operator ${b}`);
        }
        stack.length = 0;
        i++;
    }
  }
  if (record) seg.calls = calls;
  state.depth--;
  return result ?? 'return';
}

/** The charstring with its call operands renumbered. */
function rewrite(
  seg: Segment,
  localMap: Map<number, number>,
  globalMap: Map<number, number>,
  localBias: number,
  globalBias: number,
): Uint8Array {
  const calls = seg.calls ?? [];
  if (calls.length === 0) return seg.code;
  const out: number[] = [];
  let at = 0;
  for (const c of [...calls].sort((a, b) => a.pos - b.pos)) {
    for (let k = at; k < c.pos; k++) out.push(seg.code[k]!);
    const n = c.global ? globalMap.get(c.index)! : localMap.get(c.index)!;
    out.push(...encodeInt(n - (c.global ? globalBias : localBias)));
    at = c.pos + c.len;
  }
  for (let k = at; k < seg.code.length; k++) out.push(seg.code[k]!);
  return new Uint8Array(out);
}

const OP = {
  charset: 15,
  charStrings: 17,
  private: 18,
  subrs: 19,
  fdArray: 1236,
  fdSelect: 1237,
  ros: 1230,
} as const;

function int(entries: DictEntry[], op: number, k = 0): number | undefined {
  return entries.find((e) => e.op === op)?.ints[k];
}

function compact(cff: Uint8Array): Uint8Array {
  const hdrSize = cff[2]!;
  const names = readIndex(cff, hdrSize);
  const tops = readIndex(cff, names.end);
  const strings = readIndex(cff, tops.end);
  const gsubrIndex = readIndex(cff, strings.end);
  if (tops.items.length !== 1) throw new Unsupported('not one Top DICT');
  const top = readDict(tops.items[0]!);
  if (!top.some((e) => e.op === OP.ros)) throw new Unsupported('not CID-keyed');
  const csAt = int(top, OP.charStrings);
  const fdArrayAt = int(top, OP.fdArray);
  const fdSelectAt = int(top, OP.fdSelect);
  const charsetAt = int(top, OP.charset);
  if (
    csAt === undefined ||
    fdArrayAt === undefined ||
    fdSelectAt === undefined ||
    charsetAt === undefined
  ) {
    throw new Unsupported('missing CID structures');
  }
  const charStrings = readIndex(cff, csAt).items;
  const nGlyphs = charStrings.length;

  // charset and FDSelect are copied as they are; only their length is needed.
  let charsetEnd = charsetAt + 1;
  const charsetFormat = cff[charsetAt]!;
  if (charsetFormat === 0) charsetEnd += 2 * (nGlyphs - 1);
  else {
    let covered = 1;
    while (covered < nGlyphs) {
      const nLeft =
        charsetFormat === 1
          ? cff[charsetEnd + 2]!
          : (cff[charsetEnd + 2]! << 8) | cff[charsetEnd + 3]!;
      covered += nLeft + 1;
      charsetEnd += charsetFormat === 1 ? 3 : 4;
    }
  }
  const charset = cff.subarray(charsetAt, charsetEnd);
  const fdOf: number[] = [];
  const fdsFormat = cff[fdSelectAt]!;
  let fdSelectEnd: number;
  if (fdsFormat === 0) {
    for (let g = 0; g < nGlyphs; g++) fdOf.push(cff[fdSelectAt + 1 + g]!);
    fdSelectEnd = fdSelectAt + 1 + nGlyphs;
  } else if (fdsFormat === 3) {
    const nRanges = (cff[fdSelectAt + 1]! << 8) | cff[fdSelectAt + 2]!;
    const rangeAt = (r: number): number => fdSelectAt + 3 + 3 * r;
    for (let r = 0; r < nRanges; r++) {
      const first = (cff[rangeAt(r)]! << 8) | cff[rangeAt(r) + 1]!;
      const next = (cff[rangeAt(r + 1)]! << 8) | cff[rangeAt(r + 1) + 1]!;
      for (let g = first; g < next; g++) fdOf[g] = cff[rangeAt(r) + 2]!;
    }
    fdSelectEnd = rangeAt(nRanges) + 2;
  } else {
    throw new Unsupported(`FDSelect format ${fdsFormat}`);
  }
  const fdSelect = cff.subarray(fdSelectAt, fdSelectEnd);

  const fontDicts = readIndex(cff, fdArrayAt).items.map((d) => readDict(d));
  const fds = fontDicts.map((fd) => {
    const size = int(fd, OP.private, 0);
    const at = int(fd, OP.private, 1);
    if (size === undefined || at === undefined) throw new Unsupported('FD without Private');
    const priv = readDict(cff.subarray(at, at + size));
    const subrsRel = int(priv, OP.subrs);
    const subrs = subrsRel === undefined ? [] : readIndex(cff, at + subrsRel).items;
    return {
      fd,
      priv,
      locals: subrs.map((code): Segment => ({ code, calls: null })),
      used: new Set<number>(),
    };
  });

  const globals = gsubrIndex.items.map((code): Segment => ({ code, calls: null }));
  const usedGlobal = new Set<number>();
  const glyphs = charStrings.map((code): Segment => ({ code, calls: null }));
  glyphs.forEach((seg, g) => {
    const fd = fds[fdOf[g] ?? -1];
    if (!fd) throw new Unsupported('glyph without FD');
    execute(seg, fd.locals, globals, { stems: 0, depth: 0, stack: [] }, fd.used, usedGlobal);
  });

  const renumber = (used: Set<number>): Map<number, number> =>
    new Map([...used].sort((a, b) => a - b).map((old, i) => [old, i]));
  const globalMap = renumber(usedGlobal);
  const globalBias = bias(globalMap.size);
  const newGlobals = [...globalMap.keys()].map((old) =>
    // A global subroutine may call local ones of the glyph's FD; fontkit's subsets and Noto
    // do not do this, and a mixed call would need per-FD copies.
    rewriteGlobal(globals[old]!, globalMap, globalBias),
  );
  const newFds = fds.map((f) => {
    const map = renumber(f.used);
    const b = bias(map.size);
    return {
      ...f,
      map,
      bias: b,
      subrs: [...map.keys()].map((old) => rewrite(f.locals[old]!, map, globalMap, b, globalBias)),
    };
  });
  const newCharStrings = glyphs.map((seg, g) => {
    const f = newFds[fdOf[g]!]!;
    return rewrite(seg, f.map, globalMap, f.bias, globalBias);
  });

  // Write: header, Name, Top DICT, String, GSubr, charset, FDSelect, CharStrings, FDArray,
  // then each Private DICT followed by its Subrs. Offsets in DICTs are fixed-width, so the
  // Top DICT's size is known before its values.
  const header = cff.subarray(0, hdrSize);
  const nameIdx = writeIndex(names.items);
  const stringIdx = writeIndex(strings.items);
  const gsubrIdx = writeIndex(newGlobals);
  const csIdx = writeIndex(newCharStrings);
  const privates = newFds.map((f) => {
    const hasSubrs = f.subrs.length > 0;
    const entries = f.priv.filter((e) => e.op !== OP.subrs || hasSubrs);
    const probe = writeDict(entries, new Map(hasSubrs ? [[OP.subrs, [0]]] : []));
    const dict = writeDict(entries, new Map(hasSubrs ? [[OP.subrs, [probe.length]]] : []));
    return { dict, subrs: hasSubrs ? writeIndex(f.subrs) : new Uint8Array(0) };
  });
  const topReplace = (values: {
    charset: number;
    cs: number;
    fdArray: number;
    fdSelect: number;
  }): Map<number, number[]> =>
    new Map([
      [OP.charset, [values.charset]],
      [OP.charStrings, [values.cs]],
      [OP.fdArray, [values.fdArray]],
      [OP.fdSelect, [values.fdSelect]],
    ]);
  const topSize = writeIndex([
    writeDict(top, topReplace({ charset: 0, cs: 0, fdArray: 0, fdSelect: 0 })),
  ]).length;
  let at = header.length + nameIdx.length + topSize + stringIdx.length + gsubrIdx.length;
  const charsetAtNew = at;
  at += charset.length;
  const fdSelectAtNew = at;
  at += fdSelect.length;
  const csAtNew = at;
  at += csIdx.length;
  const fdArrayAtNew = at;
  // The FDArray's size does not depend on the Private offsets (fixed width) either.
  const fdArrayProbe = writeIndex(
    newFds.map((f) => writeDict(f.fd, new Map([[OP.private, [0, 0]]]))),
  );
  at += fdArrayProbe.length;
  const privateAt: number[] = [];
  for (const p of privates) {
    privateAt.push(at);
    at += p.dict.length + p.subrs.length;
  }
  const fdArrayIdx = writeIndex(
    newFds.map((f, i) =>
      writeDict(f.fd, new Map([[OP.private, [privates[i]!.dict.length, privateAt[i]!]]])),
    ),
  );
  const topIdx = writeIndex([
    writeDict(
      top,
      topReplace({
        charset: charsetAtNew,
        cs: csAtNew,
        fdArray: fdArrayAtNew,
        fdSelect: fdSelectAtNew,
      }),
    ),
  ]);
  const parts = [
    header,
    nameIdx,
    topIdx,
    stringIdx,
    gsubrIdx,
    charset,
    fdSelect,
    csIdx,
    fdArrayIdx,
  ];
  for (const p of privates) parts.push(p.dict, p.subrs);
  const out = new Uint8Array(at);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  if (p !== at) throw new Unsupported('layout mismatch');
  return out;
}

function rewriteGlobal(
  seg: Segment,
  globalMap: Map<number, number>,
  globalBias: number,
): Uint8Array {
  if ((seg.calls ?? []).some((c) => !c.global)) {
    throw new Unsupported('global subroutine calls a local one');
  }
  return rewrite(seg, new Map(), globalMap, 0, globalBias);
}

/**
 * `cff` with only the subroutines its glyphs call, renumbered; `cff` itself if it is not
 * the CID-keyed form handled here or anything about it is unexpected.
 */
export function compactCffSubrs(cff: Uint8Array): Uint8Array {
  try {
    const out = compact(cff);
    return out.length < cff.length ? out : cff;
  } catch {
    return cff;
  }
}

/**
 * A fontkit whose subsets pass through {@link compactCffSubrs}: what pdf-lib is given to
 * embed fonts with. Only `create` is used by pdf-lib.
 */
export function compactingFontkit(fk: {
  create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection;
}): { create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection } {
  return {
    create(buffer, postscriptName) {
      const font = fk.create(buffer, postscriptName);
      if ('fonts' in font) return font;
      const createSubset = font.createSubset.bind(font);
      font.createSubset = () => {
        const subset = createSubset();
        const encode = subset.encode.bind(subset);
        subset.encode = () => compactCffSubrs(encode());
        return subset;
      };
      return font;
    },
  };
}
