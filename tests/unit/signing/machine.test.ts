import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/shared/errors';
import {
  assertMay,
  progressOf,
  type ActFact,
  type SigningFacts,
} from '../../../electron/core/features/signing/machine';

const base = (acts: ActFact[] = [], more: Partial<SigningFacts> = {}): SigningFacts => ({
  version: 1,
  pageCount: 3,
  correctionIds: [],
  officerIds: [11, 12, 13],
  acts,
  stale: false,
  ...more,
});
const views = (version = 1, pages = [1, 2, 3]): ActFact[] =>
  pages.map((page) => ({ kind: 'view', version, page }));
const partySigned = (version = 1): ActFact[] => [
  ...views(version),
  { kind: 'page', version, page: 1 },
  { kind: 'page', version, page: 2 },
  { kind: 'page', version, page: 3 },
  { kind: 'seam', version },
  { kind: 'closing', version },
];

function refusal(f: SigningFacts, act: Parameters<typeof assertMay>[1], version?: number) {
  try {
    assertMay(f, act, version);
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message };
    throw e;
  }
  return null;
}

describe('signing rules (R2.2)', () => {
  it('leads through review, pages, seam, closing, officers and finish in order', () => {
    expect(progressOf(base()).step).toBe('review');
    expect(progressOf(base(views())).step).toBe('pages');
    expect(progressOf(base(partySigned().slice(0, 5))).step).toBe('pages');
    expect(progressOf(base(partySigned().slice(0, 6))).step).toBe('seam');
    expect(progressOf(base(partySigned().slice(0, 7))).step).toBe('closing');
    const signed = partySigned();
    expect(progressOf(base(signed))).toMatchObject({
      step: 'officers',
      partyDone: true,
      missing: [{ code: 'officers', have: 0, need: 2 }],
    });
    const done = [...signed, { kind: 'officer', version: 1, officerId: 11 } as ActFact];
    expect(progressOf(base(done)).step).toBe('officers');
    // An officer signs a version once; the other may still sign.
    expect(refusal(base(done), { kind: 'officer', officerId: 11 })?.code).toBe('CONFLICT');
    expect(refusal(base(done), { kind: 'officer', officerId: 13 })).toBeNull();
    done.push({ kind: 'officer', version: 1, officerId: 11 }); // the same officer again
    expect(progressOf(base(done)).officersSigned).toEqual([11]);
    done.push({ kind: 'officer', version: 1, officerId: 13 });
    expect(progressOf(base(done))).toMatchObject({ step: 'finish', complete: true, missing: [] });
    expect(refusal(base(done), { kind: 'finish' })).toBeNull();
    done.push({ kind: 'finish', version: 1 });
    expect(progressOf(base(done)).step).toBe('finished');
    expect(refusal(base(done), { kind: 'view', page: 1 })?.code).toBe('CONFLICT');
  });

  it('refuses any signature before every page was viewed', () => {
    const f = base(views(1, [1, 3]));
    for (const act of [{ kind: 'page', page: 1 }, { kind: 'seam' }, { kind: 'closing' }] as const) {
      expect(refusal(f, act)).toMatchObject({
        code: 'RULE_VIOLATION',
        message: expect.stringContaining('not yet seen: 2'),
      });
    }
    expect(refusal(f, { kind: 'view', page: 2 })).toBeNull();
    expect(refusal(f, { kind: 'view', page: 4 })?.code).toBe('NOT_FOUND');
  });

  it('wants every correction initialled before the pages are signed', () => {
    const f = base(views(), { correctionIds: ['t1.1', 't4.1'] });
    expect(progressOf(f).step).toBe('corrections');
    expect(refusal(f, { kind: 'page', page: 1 })).toMatchObject({ code: 'RULE_VIOLATION' });
    expect(refusal(f, { kind: 'initials', correctionId: 'nope' })?.code).toBe('NOT_FOUND');
    const g = base([...views(), { kind: 'initials', version: 1, correctionId: 't1.1' }], {
      correctionIds: ['t1.1', 't4.1'],
    });
    expect(progressOf(g)).toMatchObject({ confirmed: ['t1.1'], unconfirmed: ['t4.1'] });
    expect(refusal(g, { kind: 'closing' })?.code).toBe('RULE_VIOLATION');
  });

  it('counts only acts of the current version, and refuses acts on another', () => {
    const f = base([...partySigned(1)], { version: 2, correctionIds: ['a.1'] });
    expect(progressOf(f)).toMatchObject({ step: 'review', viewed: [], signedPages: [] });
    expect(refusal(f, { kind: 'view', page: 1 }, 1)).toMatchObject({ code: 'CONFLICT' });
    expect(refusal(f, { kind: 'view', page: 1 }, 2)).toBeNull();
  });

  it('refuses signing while the transcript changed since it was shown', () => {
    const f = base(views(), { stale: true });
    expect(progressOf(f).missing[0]).toEqual({ code: 'stale' });
    expect(refusal(f, { kind: 'page', page: 1 })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'view', page: 1 })).toBeNull();
    expect(refusal(f, { kind: 'refresh' })).toBeNull();
  });

  it('has no seam on a one-page record', () => {
    const f = base(views(1, [1]), { pageCount: 1 });
    expect(refusal(f, { kind: 'seam' })?.code).toBe('CONFLICT');
    const signed = base(
      [...views(1, [1]), { kind: 'page', version: 1, page: 1 }, { kind: 'closing', version: 1 }],
      { pageCount: 1 },
    );
    expect(progressOf(signed).step).toBe('officers');
  });

  it('lets officers sign only after the party, only officers of the session, two of them', () => {
    expect(refusal(base(views()), { kind: 'officer', officerId: 11 })?.code).toBe('RULE_VIOLATION');
    const f = base(partySigned());
    expect(refusal(f, { kind: 'officer', officerId: 99 })).toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('did not take part'),
    });
    expect(refusal(f, { kind: 'officer', officerId: 12 })).toBeNull();
    expect(refusal(f, { kind: 'finish' })).toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('officers'),
    });
  });

  it('on refusal: no more party acts, no refresh, two officers sign, then finish', () => {
    const refused = [...views(1, [1]), { kind: 'refusal', version: 1 } as ActFact];
    const f = base(refused, { stale: true });
    expect(progressOf(f)).toMatchObject({
      refused: true,
      partyDone: true,
      step: 'officers',
      missing: [{ code: 'officers', have: 0, need: 2 }],
    });
    expect(refusal(f, { kind: 'page', page: 1 })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'view', page: 2 })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'refresh' })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'refusal' })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'officer', officerId: 11 })).toBeNull();
    const two = base(
      [
        ...refused,
        { kind: 'officer', version: 1, officerId: 11 },
        { kind: 'officer', version: 1, officerId: 12 },
      ],
      { stale: true },
    );
    expect(progressOf(two).step).toBe('finish');
    expect(refusal(two, { kind: 'finish' })).toBeNull();
  });

  it('no longer takes a refusal once officers signed the party’s signature', () => {
    const f = base([...partySigned(), { kind: 'officer', version: 1, officerId: 11 }]);
    expect(refusal(f, { kind: 'refusal' })?.code).toBe('CONFLICT');
    expect(refusal(base(partySigned()), { kind: 'refusal' })).toBeNull();
  });

  it('keeps what the party wrote once an officer signed that version: no page, seam or closing again', () => {
    const f = base([...partySigned(), { kind: 'officer', version: 1, officerId: 11 }]);
    for (const act of [{ kind: 'page', page: 2 }, { kind: 'seam' }, { kind: 'closing' }] as const)
      expect(refusal(f, act)).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('final'),
      });
    // Looking at the pages is still fine.
    expect(refusal(f, { kind: 'view', page: 1 })).toBeNull();
    // Before any officer signed, the party may still sign a page again.
    expect(refusal(base(partySigned()), { kind: 'page', page: 2 })).toBeNull();
  });

  it('takes a slot’s signature a few times on one version, not endlessly', () => {
    const again = (n: number): ActFact[] =>
      Array.from({ length: n }, () => ({ kind: 'page', version: 1, page: 2 }) as ActFact);
    expect(refusal(base([...views(), ...again(4)]), { kind: 'page', page: 2 })).toBeNull();
    expect(refusal(base([...views(), ...again(5)]), { kind: 'page', page: 2 })).toMatchObject({
      code: 'RULE_VIOLATION',
      message: expect.stringContaining('already signed 5 times'),
    });
    // Another page is another slot.
    expect(refusal(base([...views(), ...again(5)]), { kind: 'page', page: 3 })).toBeNull();
  });
});

describe('signers in turn (R2.3: every participant of a hearing reviews and signs)', () => {
  const three = (acts: ActFact[] = [], more: Partial<SigningFacts> = {}): SigningFacts =>
    base(acts, { signerCount: 3, correctionIds: ['t1.1'], ...more });
  const by = (signer: number, acts: ActFact[]): ActFact[] => acts.map((a) => ({ ...a, signer }));
  const other = (signer: number, version = 1): ActFact[] =>
    by(signer, [
      ...views(version),
      { kind: 'page', version, page: 1 },
      { kind: 'page', version, page: 2 },
      { kind: 'page', version, page: 3 },
      { kind: 'closing', version },
    ]);
  const first = [
    ...partySigned(),
    { kind: 'initials', version: 1, correctionId: 't1.1' } as ActFact,
  ];

  it('leads each signer through review, pages and closing in turn, then the officers', () => {
    let p = progressOf(three());
    expect(p).toMatchObject({ current: 0, step: 'review' });
    expect(p.missing).toContainEqual({ code: 'signers', signers: [1, 2] });
    p = progressOf(three(first));
    // The next signer starts at the review: the first signer's pages do not count for them.
    expect(p).toMatchObject({ current: 1, step: 'review', viewed: [], signedPages: [] });
    expect(p.signers.map((s) => s.done)).toEqual([true, false, false]);
    p = progressOf(three([...first, ...by(1, views())]));
    expect(p).toMatchObject({ current: 1, step: 'pages' });
    // No seam and no corrections for the others: after the pages, the closing statement.
    p = progressOf(three([...first, ...other(1).slice(0, 6)]));
    expect(p).toMatchObject({ current: 1, step: 'closing' });
    p = progressOf(three([...first, ...other(1), ...other(2)]));
    expect(p).toMatchObject({ current: null, partyDone: true, step: 'officers' });
    expect(p.missing).toEqual([{ code: 'officers', have: 0, need: 2 }]);
  });

  it('takes the acts of whoever signs now only, and their part only', () => {
    const f = three(first);
    // The tablet names whose part it shows; an act for another is refused, not misfiled.
    expect(refusal(f, { kind: 'view', page: 1, signer: 0 })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'view', page: 1, signer: 2 })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'view', page: 1, signer: 1 })).toBeNull();
    const seen = three([...first, ...by(1, views())]);
    expect(refusal(seen, { kind: 'seam' })).toMatchObject({ code: 'RULE_VIOLATION' });
    expect(refusal(seen, { kind: 'initials', correctionId: 't1.1' })).toMatchObject({
      code: 'RULE_VIOLATION',
    });
    expect(refusal(seen, { kind: 'page', page: 2 })).toBeNull();
    // Officers wait for every signer.
    expect(refusal(seen, { kind: 'officer', officerId: 11 })?.code).toBe('RULE_VIOLATION');
    // Where the form has the others sign only the closing statement, no page for them.
    const closingOnly = three([...first, ...by(1, views())], { othersSignPages: false });
    expect(refusal(closingOnly, { kind: 'page', page: 2 })?.code).toBe('RULE_VIOLATION');
    expect(progressOf(closingOnly).step).toBe('closing');
    // Where the form has the others sign across the seam too, theirs comes after the pages.
    const pagesDone = [...first, ...other(1).slice(0, 6)];
    const withSeam = three(pagesDone, { othersSignSeam: true });
    expect(progressOf(withSeam)).toMatchObject({ current: 1, step: 'seam', seamSigned: false });
    expect(refusal(withSeam, { kind: 'seam' })).toBeNull();
    const sealed = three([...pagesDone, { kind: 'seam', version: 1, signer: 1 }], {
      othersSignSeam: true,
    });
    expect(progressOf(sealed)).toMatchObject({ step: 'closing', seamSigned: true });
  });

  it('notes a refusal for whoever signs now, and the next signer goes on', () => {
    const f = three([...first, ...by(1, views()), { kind: 'refusal', version: 1, signer: 1 }]);
    const p = progressOf(f);
    expect(p).toMatchObject({ current: 2, refused: false, anyRefused: true, step: 'review' });
    expect(p.signers[1]).toMatchObject({ refused: true, done: true });
    // Nobody refuses for another, and the text is no longer changed.
    expect(refusal(f, { kind: 'refusal', signer: 1 })?.code).toBe('CONFLICT');
    expect(refusal(f, { kind: 'refresh' })?.code).toBe('CONFLICT');
    // The party's own refusal at the start passes the tablet to the next signer too.
    const partyRefused = progressOf(three([{ kind: 'refusal', version: 1, signer: 0 }]));
    expect(partyRefused).toMatchObject({ refused: true, current: 1, step: 'review' });
    // The last signer may still refuse after signing, until an officer signs.
    const all = three([...first, ...other(1), ...other(2)]);
    expect(refusal(all, { kind: 'refusal' })).toBeNull();
    expect(refusal(all, { kind: 'refusal', signer: 1 })?.code).toBe('CONFLICT');
    const lastRefused = three([...first, ...other(1), { kind: 'refusal', version: 1, signer: 2 }]);
    expect(progressOf(lastRefused)).toMatchObject({ current: null, acting: null });
    expect(refusal(lastRefused, { kind: 'page', page: 1 })?.code).toBe('CONFLICT');
  });
});
