/**
 * The rules of a signing as a pure function of what happened (R2.2, R2.3): the party pages
 * through every page before signing anything; confirms every change made after the review
 * with initials at the change; signs and dates every page; signs the seam across all pages
 * (two or more pages); writes the closing statement. Where the form has every participant
 * sign (a hearing), the others follow in turn, each seeing every page, then signing every page
 * (or only the closing statement, as the form asks) and writing the closing statement. Anyone
 * may refuse instead; the refusal is noted and the next signer goes on. Then two or more
 * officers sign.
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
  /** Who made a signer's act or refusal: 0 the interviewee, 1… the others in turn. */
  signer?: number | null;
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
  /** How many sign in turn: 1 (the interviewee) unless the form has every participant sign. */
  signerCount?: number;
  /** Whether the signers after the first sign every page, or only the closing statement. */
  othersSignPages?: boolean;
  /** Whether the signers after the first sign across the seam too. */
  othersSignSeam?: boolean;
  /** Officers who must sign themselves, beyond the count: the one who read the record aloud. */
  mustSign?: readonly number[];
}

/** What a part of the signing stands at: pages seen and signed, corrections, seam, closing. */
interface PartFields {
  viewed: number[];
  unviewed: number[];
  confirmed: string[];
  unconfirmed: string[];
  signedPages: number[];
  unsignedPages: number[];
  seamSigned: boolean;
  closingSigned: boolean;
}

/** One signer's part: what they saw and signed of the current version, or their refusal. */
export interface SignerProgress extends PartFields {
  signer: number;
  refused: boolean;
  /** Signed throughout, or refused. */
  done: boolean;
  missing: SigningMissing[];
}

/** Distinct officers who must sign, whether the party signs or refuses (R2.2). */
export const OFFICERS_NEEDED = 2;

/**
 * The signing as a whole; its {@link PartFields} are of whoever acts on the tablet (the
 * corrections and the seam are the first signer's).
 */
export interface Progress extends PartFields {
  /** The interviewee (signer 0) refused: the record is laid out with the refusal noted. */
  refused: boolean;
  /** Anyone refused: the text is no longer changed. */
  anyRefused: boolean;
  /** Every signer's part, in order. */
  signers: SignerProgress[];
  /** Whose turn it is on the tablet (the first not done), or null when all are. */
  current: number | null;
  /**
   * Who may still act on the tablet: whoever's turn it is or, once all are done and until an
   * officer signs, the last signer (who may sign a slot again or refuse after all); null when
   * the last signer refused.
   */
  acting: number | null;
  finished: boolean;
  /** A document of one page has no seam. */
  seamNeeded: boolean;
  officersSigned: number[];
  /** Every signer's part is done: signed throughout, or refused. */
  partyDone: boolean;
  complete: boolean;
  step: SigningStep;
  missing: SigningMissing[];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * What a signer's part takes on this form: the one questioned confirms the corrections, signs
 * every page and the seam; the others sign the pages and the seam where the form asks. Every
 * signer reads every page and writes the closing statement.
 */
function partOf(f: SigningFacts, signer: number) {
  const first = signer === 0;
  return {
    corrections: first,
    pages: first || f.othersSignPages !== false,
    seam: (first || f.othersSignSeam === true) && f.pageCount > 1,
  };
}

function signerProgress(f: SigningFacts, signer: number): SignerProgress {
  const mine = (a: ActFact): boolean => (a.signer ?? 0) === signer;
  const refused = f.acts.some((a) => a.kind === 'refusal' && mine(a));
  const current = f.acts.filter((a) => a.version === f.version && mine(a));
  const pagesWith = (kind: ActKind): Set<number> =>
    new Set(current.filter((a) => a.kind === kind && a.page != null).map((a) => a.page!));
  const views = pagesWith('view');
  const signed = pagesWith('page');
  const initials = new Set(
    current.filter((a) => a.kind === 'initials').map((a) => a.correctionId ?? ''),
  );
  const pages = range(f.pageCount);
  const part = partOf(f, signer);
  const corrections = part.corrections ? f.correctionIds : [];
  const viewed = pages.filter((p) => views.has(p));
  const unviewed = pages.filter((p) => !views.has(p));
  const confirmed = corrections.filter((id) => initials.has(id));
  const unconfirmed = corrections.filter((id) => !initials.has(id));
  const signedPages = pages.filter((p) => signed.has(p));
  const unsignedPages = part.pages ? pages.filter((p) => !signed.has(p)) : [];
  const seamNeeded = part.seam;
  const seamSigned = current.some((a) => a.kind === 'seam');
  const closingSigned = current.some((a) => a.kind === 'closing');
  const missing: SigningMissing[] = [];
  if (!refused) {
    if (unviewed.length) missing.push({ code: 'views', pages: unviewed });
    if (unconfirmed.length) missing.push({ code: 'corrections', ids: unconfirmed });
    if (unsignedPages.length) missing.push({ code: 'pages', pages: unsignedPages });
    if (seamNeeded && !seamSigned) missing.push({ code: 'seam' });
    if (!closingSigned) missing.push({ code: 'closing' });
  }
  return {
    signer,
    refused,
    viewed,
    unviewed,
    confirmed,
    unconfirmed,
    signedPages,
    unsignedPages,
    seamSigned,
    closingSigned,
    done: refused || missing.length === 0,
    missing,
  };
}

export function progressOf(f: SigningFacts): Progress {
  const finished = f.acts.some((a) => a.kind === 'finish');
  const signers = range(Math.max(1, f.signerCount ?? 1)).map((n) => signerProgress(f, n - 1));
  const refused = signers[0]!.refused;
  const anyRefused = signers.some((s) => s.refused);
  const currentIndex = signers.findIndex((s) => !s.done);
  const current = currentIndex < 0 ? null : currentIndex;
  // What the tablet shows is the part of whoever signs now (or the last signer's, once all are
  // done, so the pages stay as they were signed).
  const shown = signers[current ?? signers.length - 1]!;
  const officerSet = new Set(f.officerIds);
  const officersSigned = [
    ...new Set(
      f.acts
        .filter(
          (a) =>
            a.version === f.version &&
            a.kind === 'officer' &&
            a.officerId != null &&
            officerSet.has(a.officerId),
        )
        .map((a) => a.officerId!),
    ),
  ];

  const missing: SigningMissing[] = [];
  if (f.stale && !anyRefused) missing.push({ code: 'stale' });
  if (current !== null) {
    missing.push(...signers[current]!.missing);
    const waiting = signers.filter((s) => !s.done && s.signer !== current).map((s) => s.signer);
    if (waiting.length) missing.push({ code: 'signers', signers: waiting });
  }
  const partyDone = current === null;
  if (officersSigned.length < OFFICERS_NEEDED) {
    missing.push({ code: 'officers', have: officersSigned.length, need: OFFICERS_NEEDED });
  }
  for (const officerId of f.mustSign ?? [])
    if (!officersSigned.includes(officerId)) missing.push({ code: 'reader', officerId });
  const complete = missing.length === 0;

  let step: SigningStep;
  if (finished) step = 'finished';
  else if (partyDone) step = complete ? 'finish' : 'officers';
  else if (shown.unviewed.length) step = 'review';
  else if (shown.unconfirmed.length) step = 'corrections';
  else if (shown.unsignedPages.length) step = 'pages';
  else if (partOf(f, shown.signer).seam && !shown.seamSigned) step = 'seam';
  else step = 'closing';

  return {
    refused,
    anyRefused,
    signers,
    current,
    acting: current ?? (shown.refused ? null : shown.signer),
    finished,
    viewed: shown.viewed,
    unviewed: shown.unviewed,
    confirmed: signers[0]!.confirmed,
    unconfirmed: signers[0]!.unconfirmed,
    signedPages: shown.signedPages,
    unsignedPages: shown.unsignedPages,
    seamNeeded: f.pageCount > 1,
    seamSigned: shown.seamSigned,
    closingSigned: shown.closingSigned,
    officersSigned,
    partyDone,
    complete,
    step,
    missing,
  };
}

/** What an act asks for, to be checked against the progress before it is recorded. */
export type ActRequest =
  | { kind: 'view'; page: number; signer?: number }
  | { kind: 'initials'; correctionId: string; signer?: number }
  | { kind: 'page'; page: number; signer?: number }
  | { kind: 'seam'; signer?: number }
  | { kind: 'closing'; signer?: number }
  | { kind: 'officer'; officerId: number }
  | { kind: 'refusal'; signer?: number }
  | { kind: 'refresh' }
  | { kind: 'finish' };

/**
 * How often the party may write the same slot of one version (a page, the seam, the closing
 * statement, the initials at one correction): a signature redone after a slip is normal, an
 * endless stream of them is a surface misbehaving.
 */
export const MAX_WRITES_PER_SLOT = 5;

/**
 * Throws an {@link AppError} saying why `act` may not happen now; returns the progress if it may.
 * `version` is the version the caller is looking at (the party's page sends it).
 */
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
  if (partyAct && p.acting === null) {
    throw new AppError(
      'CONFLICT',
      p.refused && p.signers.length === 1
        ? 'the party refused to sign; only the officers sign now'
        : 'everyone has signed or refused; only the officers sign now',
    );
  }
  // The surface says whose part it shows: an act meant for someone whose turn is over (or not
  // yet come) is refused rather than written into another person's slot.
  const named = 'signer' in act ? act.signer : undefined;
  if (partyAct && named !== undefined && named !== p.acting) {
    throw new AppError(
      'CONFLICT',
      `it is signer ${p.acting}'s turn on the tablet, not signer ${named}'s; reload the page`,
    );
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
        (a.signer ?? 0) === p.acting &&
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
  if (writes && f.stale && !p.anyRefused) {
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
      if (!partOf(f, p.acting!).corrections)
        throw new AppError(
          'RULE_VIOLATION',
          'the changes after the review are confirmed by the one questioned, not by the other signers',
        );
      if (!f.correctionIds.includes(act.correctionId))
        throw new AppError('NOT_FOUND', `no correction ${act.correctionId} in this version`);
      allViewed();
      return p;
    case 'page':
      if (act.page < 1 || act.page > f.pageCount)
        throw new AppError('NOT_FOUND', `no page ${act.page} (the record has ${f.pageCount})`);
      if (!partOf(f, p.acting!).pages)
        throw new AppError(
          'RULE_VIOLATION',
          'on this form the other participants sign only the closing statement, not each page',
        );
      allViewed();
      allConfirmed();
      return p;
    case 'seam':
      if (!p.seamNeeded) throw new AppError('CONFLICT', 'a one-page record has no seam signature');
      if (!partOf(f, p.acting!).seam)
        throw new AppError(
          'RULE_VIOLATION',
          'on this form the seam is signed by the one questioned only',
        );
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
          'the officers sign after the party (and every other signer) has signed everything, or has refused',
        );
      }
      // Once per version: a later stroke (on a tablet, say) never replaces an officer's
      // signature already on this text.
      if (p.officersSigned.includes(act.officerId)) {
        throw new AppError('CONFLICT', `officer ${act.officerId} has already signed this text`);
      }
      return p;
    case 'refusal':
      if (p.acting === null) throw new AppError('CONFLICT', 'the refusal is already recorded');
      if (act.signer !== undefined && act.signer !== p.acting)
        throw new AppError(
          'CONFLICT',
          `only whoever signs now (signer ${p.acting}) can refuse; signer ${act.signer} is not at the tablet`,
        );
      if (f.acts.some((a) => a.kind === 'officer' && a.version === f.version)) {
        throw new AppError(
          'CONFLICT',
          'officers have already signed the party’s signed record; it can no longer be refused',
        );
      }
      return p;
    case 'refresh':
      if (p.anyRefused)
        throw new AppError('CONFLICT', 'a signer refused; the record is no longer changed');
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
