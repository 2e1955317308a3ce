/**
 * Line breaking for Chinese text with some Latin: every CJK character is a break
 * opportunity; Latin words and numbers (case numbers, ID numbers) stay whole unless they
 * are longer than a line; and the common 禁则 (kinsoku) rules apply: closing punctuation
 * never starts a line (it hangs into the margin, or pulls the previous character down),
 * opening punctuation never ends one.
 */

/** One unbreakable piece of a paragraph. */
export interface Atom {
  /** Text ('' for an inline box). */
  text: string;
  /** Advance width in points. */
  width: number;
  /** Caller's style tag (normal, struck, inserted …); the breaker only carries it. */
  style: number;
  /** An inline object (e.g. initials at a correction); the breaker only carries it. */
  box?: unknown;
  /** A space: dropped at the start and the end of a line. */
  space?: boolean;
  /** A forced line break (a newline in the text). */
  hard?: boolean;
}

/** A line: its atoms and the width they take (trailing spaces excluded). */
export interface Line {
  atoms: Atom[];
  width: number;
  /** The atom that hangs past the right edge, if any. */
  hangs: boolean;
}

/** Must not start a line. */
const NO_START = new Set(
  Array.from('，。、；：？！）》」』】〕〉”’…—‥·％%,.;:?!)]}>～〜・ー々〃ゝゞヽヾ゛゜'),
);
/** Must not end a line. */
const NO_END = new Set(Array.from('（《「『【〔〈“‘([{<'));

/** Characters that join into an unbreakable word. */
const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}_\-./@#&+'’:]/u;

/** ASCII punctuation that belongs to the Latin word before it. */
const ASCII_TRAILING = new Set(Array.from('.,:;!?%)]}>'));

/**
 * Split a run of text into atoms: one per CJK character or punctuation mark, one per Latin
 * word or number, one per space; a newline becomes a hard break.
 */
export function atomize(text: string, style: number, measure: (s: string) => number): Atom[] {
  const atoms: Atom[] = [];
  let word = '';
  const flush = (): void => {
    if (word) atoms.push({ text: word, width: measure(word), style });
    word = '';
  };
  for (const ch of text) {
    if (ch === '\n') {
      flush();
      atoms.push({ text: '', width: 0, style, hard: true });
    } else if (ch === ' ' || ch === '\t' || ch === '\u00a0') {
      flush();
      atoms.push({ text: ' ', width: measure(' '), style, space: true });
    } else if (ch === '\r') {
      // Windows line ends: the \n that follows does the work.
    } else if (WORD.test(ch) && !NO_START.has(ch)) {
      word += ch;
    } else if (word && ASCII_TRAILING.has(ch)) {
      // "3.5", "a@b.cn", "No. 12," stay in one piece, as Latin line breaking keeps them.
      word += ch;
    } else {
      flush();
      atoms.push({ text: ch, width: measure(ch), style });
    }
  }
  flush();
  return atoms;
}

function lineWidth(atoms: Atom[]): number {
  let end = atoms.length;
  while (end > 0 && atoms[end - 1]!.space) end--;
  let w = 0;
  for (let i = 0; i < end; i++) w += atoms[i]!.width;
  return w;
}

function isNoStart(a: Atom): boolean {
  return !a.box && a.text.length > 0 && NO_START.has(Array.from(a.text)[0]!);
}

function isNoEnd(a: Atom): boolean {
  return !a.box && a.text.length > 0 && NO_END.has(Array.from(a.text).pop()!);
}

/**
 * Break atoms into lines: the first line `firstWidth` wide (after a label), the others
 * `restWidth` (a hanging indent). `hang` is how far one closing mark may hang past the edge.
 */
export function breakLines(
  input: Atom[],
  firstWidth: number,
  restWidth: number,
  hang: number,
  measure: (s: string) => number,
): Line[] {
  const EPS = 0.01;
  const queue = [...input];
  const lines: Line[] = [];
  let line: Atom[] = [];
  let width = 0;
  const limit = (): number => (lines.length === 0 ? firstWidth : restWidth);
  const push = (hangs: boolean): void => {
    while (line.length && line[line.length - 1]!.space) line.pop();
    lines.push({ atoms: line, width: lineWidth(line), hangs });
    line = [];
    width = 0;
  };

  for (let i = 0; i < queue.length; i++) {
    const atom = queue[i]!;
    if (atom.hard) {
      push(false);
      continue;
    }
    if (line.length === 0 && atom.space) continue;
    if (width + atom.width <= limit() + EPS) {
      line.push(atom);
      width += atom.width;
      continue;
    }
    // A space that does not fit is dropped; what follows it overflows in turn and is
    // handled below, with the punctuation rules.
    if (atom.space) continue;
    // A word longer than a whole line is cut into characters.
    if (!atom.box && Array.from(atom.text).length > 1 && atom.width > restWidth) {
      const chars = Array.from(atom.text).map((c) => ({ ...atom, text: c, width: measure(c) }));
      queue.splice(i, 1, ...chars);
      i--;
      continue;
    }
    if (line.length === 0) {
      // Nothing fits on an empty line: place it anyway rather than loop forever.
      line.push(atom);
      width += atom.width;
      continue;
    }
    let j = i + 1;
    while (queue[j]?.space) j++;
    const next = queue[j];
    const runOfClosers = isNoStart(atom) && next !== undefined && isNoStart(next);
    if (isNoStart(atom) && !runOfClosers && atom.width <= hang + EPS) {
      line.push(atom);
      push(true);
      continue;
    }
    // Break before `atom`, carrying characters down so no line starts with a closing mark
    // and none ends with an opening one.
    const carry: Atom[] = [];
    if (isNoStart(atom)) {
      while (line.length > 1 && isNoStart(line[line.length - 1]!)) carry.unshift(line.pop()!);
      if (line.length > 1) carry.unshift(line.pop()!);
    }
    while (line.length > 1 && (isNoEnd(line[line.length - 1]!) || line[line.length - 1]!.space)) {
      const a = line.pop()!;
      if (!a.space) carry.unshift(a);
    }
    push(false);
    for (const c of carry) {
      line.push(c);
      width += c.width;
    }
    line.push(atom);
    width += atom.width;
  }
  if (line.length || lines.length === 0) push(false);
  return lines;
}
