/**
 * The rules of a signing as a pure function of what happened (R2.2): the party pages through
 * every page before signing anything; confirms every change made after the review with
 * initials at the change; signs and dates every page; signs the seam across all pages (two
 * or more pages); writes the closing statement; then two or more officers sign. If the
 * party refuses, the officers note the refusal and two or more of them sign.
 *
 * Acts count for the version of the text they were made on: after a correction the text is
 * frozen again (a new version), and the party sees and signs that one. A later act of the
 * same kind (a page signed again) replaces the earlier one in the document; every act stays
 * on record.
 */
import { AppError } from '../../../shared/errors';
import type { SigningMissing, SigningStep } from '../../../shared/api/signing';

export type ActKind =
  'view' | 'initials' | 'page' | 'seam' | 'closing' | 'officer' | 'refusal' | 'finish';

export interface ActFact {
  kind: ActKind;
  version: number;
  page?: number | null;
  correctionId?: string | null;
  officerId?: number | null;
}

export interface SigningFacts {
  version: number;
  pageCount: number;
  correctionIds: readonly string[];
  /** Officers of the session (who may sign). */
  officerIds: readonly number[];
  acts: readonly ActFact[];
  /** The transcript changed since this version was frozen. */
  stale: boolean;
}

/** Distinct officers who must sign, whether the party signs or refuses (R2.2). */
export const OFFICERS_NEEDED = 2;

export interface Progress {
  refused: boolean;
  finished: boolean;
  viewed: number[];
  unviewed: number[];
  confirmed: string[];
  unconfirmed: string[];
  signedPages: number[];
  unsignedPages: number[];
  /** A document of one page has no seam. */
  seamNeeded: boolean;
  seamSigned: boolean;
  closingSigned: boolean;
  officersSigned: number[];
  /** The party's part is done: signed throughout, or refused. */
  partyDone: boolean;
  complete: boolean;
  step: SigningStep;
  missing: SigningMissing[];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

export function progressOf(f: SigningFacts): Progress {
  const refused = f.acts.some((a) => a.kind === 'refusal');
  const finished = f.acts.some((a) => a.kind === 'finish');
  const current = f.acts.filter((a) => a.version === f.version);
  const pagesWith = (kind: ActKind): Set<number> =>
    new Set(current.filter((a) => a.kind === kind && a.page != null).map((a) => a.page!));
  const views = pagesWith('view');
  const signed = pagesWith('page');
  const initials = new Set(
    current.filter((a) => a.kind === 'initials').map((a) => a.correctionId ?? ''),
  );
  const pages = range(f.pageCount);
  const viewed = pages.filter((p) => views.has(p));
  const unviewed = pages.filter((p) => !views.has(p));
  const confirmed = f.correctionIds.filter((id) => initials.has(id));
  const unconfirmed = f.correctionIds.filter((id) => !initials.has(id));
  const signedPages = pages.filter((p) => signed.has(p));
  const unsignedPages = pages.filter((p) => !signed.has(p));
  const seamNeeded = f.pageCount > 1;
  const seamSigned = current.some((a) => a.kind === 'seam');
  const closingSigned = current.some((a) => a.kind === 'closing');
  const officerSet = new Set(f.officerIds);
  const officersSigned = [
    ...new Set(
      current
        .filter((a) => a.kind === 'officer' && a.officerId != null && officerSet.has(a.officerId))
        .map((a) => a.officerId!),
    ),
  ];

  const missing: SigningMissing[] = [];
  if (f.stale && !refused) missing.push({ code: 'stale' });
  if (!refused) {
    if (unviewed.length) missing.push({ code: 'views', pages: unviewed });
    if (unconfirmed.length) missing.push({ code: 'corrections', ids: unconfirmed });
    if (unsignedPages.length) missing.push({ code: 'pages', pages: unsignedPages });
    if (seamNeeded && !seamSigned) missing.push({ code: 'seam' });
    if (!closingSigned) missing.push({ code: 'closing' });
  }
  const partyDone = refused || missing.length === 0;
  if (officersSigned.length < OFFICERS_NEEDED) {
    missing.push({ code: 'officers', have: officersSigned.length, need: OFFICERS_NEEDED });
  }
  const complete = missing.length === 0;

  let step: SigningStep;
  if (finished) step = 'finished';
  else if (refused) step = complete ? 'finish' : 'officers';
  else if (unviewed.length) step = 'review';
  else if (unconfirmed.length) step = 'corrections';
  else if (unsignedPages.length) step = 'pages';
  else if (seamNeeded && !seamSigned) step = 'seam';
  else if (!closingSigned) step = 'closing';
  else if (!complete) step = 'officers';
  else step = 'finish';

  return {
    refused,
    finished,
    viewed,
    unviewed,
    confirmed,
    unconfirmed,
    signedPages,
    unsignedPages,
    seamNeeded,
    seamSigned,
    closingSigned,
    officersSigned,
    partyDone,
    complete,
    step,
    missing,
  };
}

/** What an act asks for, to be checked against the progress before it is recorded. */
export type ActRequest =
  | { kind: 'view'; page: number }
  | { kind: 'initials'; correctionId: string }
  | { kind: 'page'; page: number }
  | { kind: 'seam' }
  | { kind: 'closing' }
  | { kind: 'officer'; officerId: number }
  | { kind: 'refusal' }
  | { kind: 'refresh' }
  | { kind: 'finish' };

/**
 * Throws an {@link AppError} saying why `act` may not happen now; returns quietly if it may.
 * `version` is the version the caller is looking at (the party's page sends it).
 */
/**
 * How often the party may write the same slot of one version (a page, the seam, the closing
 * statement, the initials at one correction): a signature redone after a slip is normal, an
 * endless stream of them is a surface misbehaving.
 */
export const MAX_WRITES_PER_SLOT = 5;

export function assertMay(f: SigningFacts, act: ActRequest, version: number = f.version): Progress {
  const p = progressOf(f);
  if (p.finished) throw new AppError('CONFLICT', 'the record is already signed and finished');
  if (version !== f.version) {
    throw new AppError(
      'CONFLICT',
      `the text changed after a correction (now version ${f.version}, the page shows ${version}); reload it`,
    );
  }
  const partyAct =
    act.kind === 'view' ||
    act.kind === 'initials' ||
    act.kind === 'page' ||
    act.kind === 'seam' ||
    act.kind === 'closing';
  if (partyAct && p.refused) {
    throw new AppError('CONFLICT', 'the party refused to sign; only the officers sign now');
  }
  // What the officers signed is the party's record as it stood: nothing the party writes on
  // that version may change afterwards.
  if (
    partyAct &&
    act.kind !== 'view' &&
    f.acts.some((a) => a.kind === 'officer' && a.version === f.version)
  ) {
    throw new AppError(
      'CONFLICT',
      'officers have signed this version: the party’s signatures on it are final',
    );
  }
  const writes = act.kind !== 'view' && act.kind !== 'refusal' && act.kind !== 'refresh';
  if (partyAct && act.kind !== 'view') {
    const same = f.acts.filter(
      (a) =>
        a.version === f.version &&
        a.kind === act.kind &&
        (act.kind !== 'page' || a.page === act.page) &&
        (act.kind !== 'initials' || a.correctionId === act.correctionId),
    ).length;
    if (same >= MAX_WRITES_PER_SLOT)
      throw new AppError(
        'RULE_VIOLATION',
        `this place was already signed ${same} times on this version; no more signatures are taken there`,
      );
  }
  if (writes && f.stale && !p.refused) {
    throw new AppError(
      'CONFLICT',
      'the transcript changed since it was shown to the party; the officer must refresh it first',
    );
  }
  const allViewed = (): void => {
    if (p.unviewed.length) {
      throw new AppError(
        'RULE_VIOLATION',
        `the party must see every page before signing (R2.2); not yet seen: ${p.unviewed.join(', ')}`,
      );
    }
  };
  const allConfirmed = (): void => {
    if (p.unconfirmed.length) {
      throw new AppError(
        'RULE_VIOLATION',
        `every change after the review is confirmed at the change first (R2.2): ${p.unconfirmed.join(', ')}`,
      );
    }
  };
  switch (act.kind) {
    case 'view':
      if (act.page < 1 || act.page > f.pageCount)
        throw new AppError('NOT_FOUND', `no page ${act.page} (the record has ${f.pageCount})`);
      return p;
    case 'initials':
      if (!f.correctionIds.includes(act.correctionId))
        throw new AppError('NOT_FOUND', `no correction ${act.correctionId} in this version`);
      allViewed();
      return p;
    case 'page':
      if (act.page < 1 || act.page > f.pageCount)
        throw new AppError('NOT_FOUND', `no page ${act.page} (the record has ${f.pageCount})`);
      allViewed();
      allConfirmed();
      return p;
    case 'seam':
      if (!p.seamNeeded) throw new AppError('CONFLICT', 'a one-page record has no seam signature');
      allViewed();
      allConfirmed();
      return p;
    case 'closing':
      allViewed();
      allConfirmed();
      return p;
    case 'officer':
      if (!f.officerIds.includes(act.officerId)) {
        throw new AppError(
          'RULE_VIOLATION',
          `officer ${act.officerId} did not take part in this session`,
        );
      }
      if (!p.partyDone) {
        throw new AppError(
          'RULE_VIOLATION',
          'the officers sign after the party has signed everything, or has refused',
        );
      }
      // Once per version: a later stroke (on a tablet, say) never replaces an officer's
      // signature already on this text.
      if (p.officersSigned.includes(act.officerId)) {
        throw new AppError('CONFLICT', `officer ${act.officerId} has already signed this text`);
      }
      return p;
    case 'refusal':
      if (p.refused) throw new AppError('CONFLICT', 'the refusal is already recorded');
      if (f.acts.some((a) => a.kind === 'officer' && a.version === f.version)) {
        throw new AppError(
          'CONFLICT',
          'officers have already signed the party’s signed record; it can no longer be refused',
        );
      }
      return p;
    case 'refresh':
      if (p.refused)
        throw new AppError('CONFLICT', 'the party refused; the record is no longer changed');
      return p;
    case 'finish':
      if (!p.complete) {
        throw new AppError(
          'RULE_VIOLATION',
          `the record is not complete: ${p.missing.map((m) => m.code).join(', ')}`,
        );
      }
      return p;
  }
}
