import { describe, expect, it } from 'vitest';
import { HANDWRITING_LIMITS, handwritingInputSchema } from '@shared/api/signing';
import signingStrings from '../../../renderer/src/features/signing/strings';
import { createI18n } from '../../../renderer/src/i18n';
import { toHandwritingInput } from '../../../renderer/src/features/signing/strokes';

describe('strokes from the pad', () => {
  const stroke = (pointerType: string, t0: number, n: number) => ({
    pointerType,
    points: Array.from({ length: n }, (_, i) => ({
      x: 10.123456 + i,
      y: 20 + i / 3,
      time: t0 + i * 4,
      pressure: i === 0 ? 0 : 0.51234567,
    })),
  });

  it('keeps every point, with times from the first point and the pointer of each stroke', () => {
    const input = toHandwritingInput(
      [stroke('pen', 1_000, 50), stroke('touch', 1_500, 3), stroke('weird', 2_000, 2)],
      { width: 600.4, height: 199.6 },
      9_999,
    )!;
    expect(input.canvas).toEqual({ width: 600, height: 200 });
    expect(input.t0).toBe(1_000);
    expect(input.clientNow).toBe(9_999);
    expect(input.strokes.map((s) => [s.pointerType, s.points.length])).toEqual([
      ['pen', 50],
      ['touch', 3],
      ['mouse', 2],
    ]);
    expect(input.strokes[0]!.points[1]).toEqual([11.12, 20.33, 4, 0.5123]);
    expect(input.strokes[1]!.points[0]![2]).toBe(500);
    // What the core accepts.
    expect(handwritingInputSchema.safeParse(input).success).toBe(true);
  });

  it('sends nothing for an empty pad or a lone tap, and nothing beyond the point limit', () => {
    expect(toHandwritingInput([], { width: 10, height: 10 }, 0)).toBeNull();
    expect(toHandwritingInput([stroke('pen', 0, 1)], { width: 10, height: 10 }, 0)).toBeNull();
    const huge = stroke('pen', 0, HANDWRITING_LIMITS.maxPoints + 1);
    expect(toHandwritingInput([huge], { width: 10, height: 10 }, 0)).toBeNull();
  });
});

describe('signing messages', () => {
  it('has every zh-CN key in English, and reads in both languages from the one namespace', async () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'string' ? [`${p}${k}`] : keys(v as object, `${p}${k}.`),
      );
    expect(keys(signingStrings.en).sort()).toEqual(keys(signingStrings['zh-CN']).sort());
    const i18n = createI18n('zh-CN');
    expect(i18n.t('signing.party.seam.submit')).toBe('确认骑缝签名');
    await i18n.changeLanguage('en');
    expect(i18n.t('signing.party.review.pageOf', { page: 2, count: 5 })).toBe('Page 2 of 5');
  });
});
