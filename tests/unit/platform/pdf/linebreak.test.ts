import { describe, expect, it } from 'vitest';
import { atomize, breakLines } from '../../../../electron/core/platform/pdf/linebreak';

// A monospaced stand-in: CJK 1 em, everything else half (enough to test the rules).
const EM = 10;
const measure = (s: string): number =>
  Array.from(s).reduce((w, ch) => w + (ch.codePointAt(0)! > 0x2e80 ? EM : EM / 2), 0);
const lines = (text: string, chars: number, hang = EM): string[] =>
  breakLines(atomize(text, 0, measure), chars * EM, chars * EM, hang, measure).map((l) =>
    l.atoms.map((a) => a.text).join(''),
  );

const NO_START = '，。、；：？！）》」』】”’…%';
const NO_END = '（《「『【“‘';

describe('breakLines', () => {
  it('fills lines of CJK text to the width', () => {
    expect(lines('一二三四五六七八九十', 4)).toEqual(['一二三四', '五六七八', '九十']);
  });

  it('never starts a line with closing punctuation: it hangs, or pulls a character down', () => {
    // 4 fit; the comma hangs past the edge.
    expect(lines('一二三四，五六', 4)).toEqual(['一二三四，', '五六']);
    // Two closing marks: the first hangs, the second would start a line, so the character
    // before them comes down with it.
    const out = lines('一二三四。”五六七八', 4, 0);
    for (const l of out) expect(NO_START).not.toContain(Array.from(l)[0]);
  });

  it('never ends a line with opening punctuation', () => {
    const out = lines('一二三（四五六七八', 4);
    for (const l of out) expect(NO_END).not.toContain(Array.from(l).pop());
    expect(out[0]).toBe('一二三');
  });

  it('keeps Latin words and numbers whole, and cuts only what is longer than a line', () => {
    expect(lines('编号JY11301050012345有效', 8.5)).toEqual(['编号', 'JY11301050012345', '有效']);
    const long = lines('A'.repeat(30), 5);
    expect(long.every((l) => measure(l) <= 5 * EM)).toBe(true);
    expect(long.join('')).toBe('A'.repeat(30));
    // Widths: a Latin character is half an em here, so 8 em hold 16 of them.
    expect(lines('Product of Brazil, Est. SIF 1234', 8)).toEqual([
      'Product of',
      'Brazil, Est. SIF',
      '1234',
    ]);
  });

  it('honours newlines and drops spaces at line ends', () => {
    expect(lines('一二\n三四', 10)).toEqual(['一二', '三四']);
    expect(lines('ab cd ef', 2)).toEqual(['ab', 'cd', 'ef']);
  });

  it('uses a different width after the first line (hanging indent)', () => {
    const atoms = atomize('一二三四五六七八', 0, measure);
    const out = breakLines(atoms, 2 * EM, 3 * EM, EM, measure).map((l) => l.atoms.length);
    expect(out).toEqual([2, 3, 3]);
  });

  it('keeps the rules on random mixed text, and loses no character', () => {
    const alphabet = Array.from('中文笔录询问答记录执法人员当事人，。、；：？！（）《》“”abc123 ');
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 200; n++) {
      const text = Array.from(
        { length: 60 + Math.floor(rand() * 120) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      const width = 6 + Math.floor(rand() * 20);
      const out = lines(text, width);
      expect(out.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      out.forEach((l, i) => {
        if (i > 0)
          expect(NO_START, `line ${i} of ${JSON.stringify(out)}`).not.toContain(Array.from(l)[0]);
        // At most one hanging mark past the edge.
        expect(measure(l.trimEnd())).toBeLessThanOrEqual(width * EM + EM);
      });
    }
  });
});
