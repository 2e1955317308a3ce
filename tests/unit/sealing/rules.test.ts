/**
 * The pure rules of sealing: when a session may be sealed and why not, how the refusal is
 * worded, the retention a seal gets (R4.4), and the bag's names.
 */
import { describe, expect, it } from 'vitest';
import {
  bagNamesOf,
  defaultRetention,
  retentionOf,
  sealBlockers,
  sealRefusal,
  type SealFacts,
} from '../../../electron/core/features/sealing/rules';

const ready: SealFacts = {
  session: { status: 'ended', endedAt: 1000 },
  bundleId: undefined,
  busy: false,
  signingState: 'finished',
  segments: [{ state: 'closed', bytes: 10, path: 'sessions/1/media/CAM-01-0.mp4' }],
  fileExists: () => true,
};
const codes = (f: Partial<SealFacts>) => sealBlockers({ ...ready, ...f }).map((b) => b.code);

describe('seal readiness', () => {
  it('is ready when ended, signed and every written segment is on disk', () => {
    expect(sealBlockers(ready)).toEqual([]);
    expect(sealRefusal([])).toBeNull();
  });

  it('names every reason it is not', () => {
    expect(codes({ session: { status: 'recording', endedAt: null } })).toEqual(['not-ended']);
    expect(codes({ busy: true })).toEqual(['busy']);
    expect(codes({ signingState: null })).toEqual(['unsigned']);
    expect(codes({ signingState: 'open' })).toEqual(['unsigned']);
    expect(codes({ signingState: 'refused' })).toEqual(['refusal-unfinished']);
    expect(codes({ segments: [] })).toEqual(['no-media']);
    expect(codes({ segments: [{ state: 'closed', bytes: 0, path: 'x' }] })).toEqual(['no-media']);
    expect(codes({ segments: [{ state: 'open', bytes: 5, path: 'x' }] })).toEqual([
      'media-open',
      'no-media',
    ]);
    expect(codes({ fileExists: () => false })).toEqual(['media-missing']);
  });

  it('says only "sealed" once the session has its bundle', () => {
    expect(
      codes({
        bundleId: 7,
        session: { status: 'sealed', endedAt: 1000 },
        busy: true,
        signingState: null,
        segments: [],
      }),
    ).toEqual(['sealed']);
  });

  it('refuses with CONFLICT when waiting helps, RULE_VIOLATION otherwise, every detail joined', () => {
    const busy = sealRefusal(sealBlockers({ ...ready, busy: true, signingState: null }));
    expect(busy).toMatchObject({ code: 'CONFLICT' });
    expect(busy?.message).toBe(
      'the session is being sealed now; the transcript has not been signed and finished yet',
    );
    expect(sealRefusal(sealBlockers({ ...ready, signingState: null }))).toMatchObject({
      code: 'RULE_VIOLATION',
    });
  });
});

describe('retention (R4.4)', () => {
  const end = Date.UTC(2024, 1, 29, 8, 0, 0);

  it('defaults to three years, or long-term once the case has a bundle kept long-term', () => {
    expect(defaultRetention(undefined)).toEqual({ choice: 'case-3y', reason: null });
    expect(defaultRetention('投诉')).toEqual({ choice: 'long-term', reason: '投诉' });
  });

  it('keeps standard choices a calendar number of years from the end', () => {
    const r = retentionOf({}, defaultRetention(undefined), end);
    expect(r).toMatchObject({
      choice: 'case-3y',
      class: 'standard',
      retainUntil: Date.UTC(2027, 2, 1, 8),
    });
    expect(r.reason).toBe('随案卷保存3年');
    // Audio/video is never kept shorter than its case file (R4.4).
    expect(() =>
      retentionOf({ retention: { choice: 'av-1y', reason: '' } }, defaultRetention(undefined), end),
    ).toThrow('音像记录的保存期限不得短于案卷：本案案卷保存3年');
    expect(() =>
      retentionOf({ retention: { choice: 'case-3y' } }, defaultRetention('经审核长期保存'), end),
    ).toThrow('本案案卷长期保存');
  });

  it('keeps long-term without an end, and only with its reason', () => {
    expect(
      retentionOf(
        { retention: { choice: 'long-term', reason: '当事人有异议' } },
        defaultRetention(undefined),
        end,
      ),
    ).toEqual({
      choice: 'long-term',
      class: 'long-term',
      reason: '当事人有异议',
      retainUntil: null,
    });
    expect(retentionOf({}, defaultRetention('投诉'), end).reason).toBe('投诉');
    expect(() =>
      retentionOf({ retention: { choice: 'long-term' } }, defaultRetention(undefined), end),
    ).toThrow(/needs its reason/);
  });
});

describe('bag names', () => {
  it('put the bag under its case folder, named by session and local time', () => {
    const at = Date.UTC(2026, 10, 23, 2, 4, 5);
    expect(bagNamesOf('石人防罚〔2026〕12号', 3, at, 'Asia/Shanghai')).toEqual({
      caseDir: '石人防罚〔2026〕12号',
      bagName: '3-20261123-100405',
      bagId: '石人防罚〔2026〕12号_3-20261123-100405',
      relPath: 'archive/石人防罚〔2026〕12号/3-20261123-100405',
    });
  });
});
