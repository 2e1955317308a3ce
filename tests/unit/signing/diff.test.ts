import { describe, expect, it } from 'vitest';
import {
  diffText,
  JOIN_GAP,
  MAX_CHANGES_PER_TURN,
} from '../../../electron/core/features/signing/diff';

/** Applies the changes the way the PDF reads them: newText sits at start…end of the new text. */
function check(before: string, after: string) {
  const changes = diffText(before, after);
  // Rebuild the old text from the new one by putting every original back.
  let rebuilt = '';
  let at = 0;
  for (const c of changes) {
    expect(after.slice(c.start, c.end)).toBe(c.newText);
    expect(c.start).toBeGreaterThanOrEqual(at);
    rebuilt += after.slice(at, c.start) + c.originalText;
    at = c.end;
  }
  rebuilt += after.slice(at);
  expect(rebuilt).toBe(before);
  return changes;
}

describe('correction diff', () => {
  it('finds nothing in equal texts', () => {
    expect(diffText('我叫王小明。', '我叫王小明。')).toEqual([]);
  });

  it('reports a replaced word as one change with UTF-16 offsets into the new text', () => {
    expect(check('进货数量是三百箱。', '进货数量是二百箱。')).toEqual([
      { start: 5, end: 6, originalText: '三', newText: '二' },
    ]);
  });

  it('reports insertions and deletions with an empty side', () => {
    expect(check('我在店里。', '我当时在店里。')).toEqual([
      { start: 1, end: 3, originalText: '', newText: '当时' },
    ]);
    expect(check('我当时在店里。', '我在店里。')).toEqual([
      { start: 1, end: 1, originalText: '当时', newText: '' },
    ]);
  });

  it('keeps separate changes apart and joins changes a character or two apart', () => {
    const far = check('二〇二六年三月，我在北京卖了十箱。', '二〇二六年四月，我在北京卖了九箱。');
    expect(far.map((c) => [c.originalText, c.newText])).toEqual([
      ['三', '四'],
      ['十', '九'],
    ]);
    const near = check('张三丰', '李四丰');
    expect(near).toEqual([{ start: 0, end: 2, originalText: '张三', newText: '李四' }]);
    // A gap of JOIN_GAP characters stays apart.
    const gap = 'x'.repeat(JOIN_GAP);
    expect(check(`a${gap}b`, `c${gap}d`)).toHaveLength(2);
  });

  it('never cuts a character outside the BMP in half', () => {
    const changes = check('当事人𠮷田说', '当事人𠮷野说');
    expect(changes).toEqual([{ start: 5, end: 6, originalText: '田', newText: '野' }]);
    const c2 = check('甲𠮷乙', '甲𡈽乙');
    expect(c2).toEqual([{ start: 1, end: 3, originalText: '𠮷', newText: '𡈽' }]);
  });

  it('shows a rewritten sentence as one change when the changes are many', () => {
    const before = Array.from({ length: 20 }, (_, i) => `字${i}`).join('，');
    const after = Array.from({ length: 20 }, (_, i) => `词${i}`).join('，');
    const changes = check(before, after);
    expect(changes.length).toBeLessThanOrEqual(MAX_CHANGES_PER_TURN);
  });

  it('handles texts emptied or written from nothing', () => {
    expect(check('', '新加的一段话')).toEqual([
      { start: 0, end: 6, originalText: '', newText: '新加的一段话' },
    ]);
    expect(check('删掉的话', '')).toEqual([
      { start: 0, end: 0, originalText: '删掉的话', newText: '' },
    ]);
  });

  it('agrees with a brute-force rebuild on random edits', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet =
      '的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会';
    for (let n = 0; n < 300; n++) {
      const len = Math.floor(rnd() * 40);
      const a = Array.from(
        { length: len },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
      const chars = Array.from(a);
      for (let e = Math.floor(rnd() * 6); e > 0; e--) {
        const i = Math.floor(rnd() * (chars.length + 1));
        const op = rnd();
        if (op < 0.33) chars.splice(i, 1);
        else if (op < 0.66) chars.splice(i, 0, alphabet[Math.floor(rnd() * alphabet.length)]!);
        else chars[i] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      }
      check(a, chars.join(''));
    }
  });
});
