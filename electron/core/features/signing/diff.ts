/**
 * Corrections after review (R2.2): what changed in a turn between the text the party
 * reviewed and the text now, as the PDF model's corrections. `newText` is
 * `text.slice(start, end)` of the new text (UTF-16 indices); `originalText` is what it
 * replaced. Insertions have an empty `originalText`, deletions an empty `newText`.
 *
 * The diff runs over code points (so a rare character outside the BMP is never cut in half),
 * with Myers' algorithm on what is left after the common prefix and suffix. Changes a
 * character or two apart are joined, because on paper the party initials each change and
 * "张三 → 李四" reads better as one change than as two.
 */

export interface TextChange {
  /** UTF-16 offsets into the new text. */
  start: number;
  end: number;
  originalText: string;
  newText: string;
}

/** Changes closer than this many code points become one. */
export const JOIN_GAP = 3;
/** More changes than this in one turn: shown as one change from the first to the last. */
export const MAX_CHANGES_PER_TURN = 8;
/** Edit distance beyond which the diff gives up and reports one change. */
const MAX_EDIT_DISTANCE = 2_000;

type Op = 'equal' | 'delete' | 'insert';

/** Myers' O(ND) shortest edit script over two arrays; null when D exceeds `maxD`. */
function myers(a: readonly string[], b: readonly string[], maxD: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, maxD); d++) {
    // Keep the part of V this round can read: k in [-d, d].
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    // vd holds k in [-d-1, d+1] at indices 0 … 2d+2.
    const at = (k: number): number => vd[k + d + 1]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && at(k - 1) < at(k + 1))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('equal');
      x--;
      y--;
    }
    // The one edit of this round: down (an insertion) or right (a deletion).
    if (d > 0) ops.push(x === prevX ? 'insert' : 'delete');
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

interface Hunk {
  /** Code point ranges [a0, a1) in the old text and [b0, b1) in the new. */
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

function hunksOf(ops: Op[], aStart: number, bStart: number): Hunk[] {
  const hunks: Hunk[] = [];
  let x = aStart;
  let y = bStart;
  let open: Hunk | null = null;
  for (const op of ops) {
    if (op === 'equal') {
      if (open) hunks.push(open);
      open = null;
      x++;
      y++;
      continue;
    }
    open ??= { a0: x, a1: x, b0: y, b1: y };
    if (op === 'delete') open.a1 = ++x;
    else open.b1 = ++y;
  }
  if (open) hunks.push(open);
  return hunks;
}

/** The changes that turn `before` into `after`, in order, non-overlapping. */
export function diffText(before: string, after: string): TextChange[] {
  if (before === after) return [];
  const a = Array.from(before);
  const b = Array.from(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    a[a.length - 1 - suf] === b[b.length - 1 - suf]
  )
    suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const ops = myers(midA, midB, MAX_EDIT_DISTANCE);
  let hunks: Hunk[] = ops
    ? hunksOf(ops, pre, pre)
    : [{ a0: pre, a1: a.length - suf, b0: pre, b1: b.length - suf }];

  // Join changes that are only a character or two apart.
  const joined: Hunk[] = [];
  for (const h of hunks) {
    const last = joined[joined.length - 1];
    if (last && h.a0 - last.a1 < JOIN_GAP && h.b0 - last.b1 < JOIN_GAP) {
      last.a1 = h.a1;
      last.b1 = h.b1;
    } else joined.push({ ...h });
  }
  hunks = joined;
  if (hunks.length > MAX_CHANGES_PER_TURN) {
    hunks = [{ a0: hunks[0]!.a0, a1: hunks.at(-1)!.a1, b0: hunks[0]!.b0, b1: hunks.at(-1)!.b1 }];
  }

  // Code point indices to UTF-16 offsets of the new text.
  const utf16 = new Array<number>(b.length + 1);
  utf16[0] = 0;
  for (let i = 0; i < b.length; i++) utf16[i + 1] = utf16[i]! + b[i]!.length;
  return hunks.map((h) => ({
    start: utf16[h.b0]!,
    end: utf16[h.b1]!,
    originalText: a.slice(h.a0, h.a1).join(''),
    newText: b.slice(h.b0, h.b1).join(''),
  }));
}
