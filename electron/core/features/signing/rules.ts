/**
 * Pure helpers of a signing (no I/O): the session clock, handwriting moved onto it, the facts
 * the rules in `machine.ts` judge, the timeline kind of each act, and the signatures a record
 * prints (blank for the preview, or the newest act of each kind when it is finished).
 */
import { handwritingFromInput } from '../../platform/pdf/handwriting-input';
import type { SessionDto } from '../../../shared/domain';
import type { HandwritingInput, SigningTimelineKind } from '../../../shared/api/signing';
import type { FormTemplate } from '../../platform/pdf/templates';
import type {
  Handwriting,
  OfficerSignature,
  OtherSignature,
  Signatures,
  Transcript,
} from '../../platform/pdf/model';
import type { LayoutMode } from '../../platform/pdf/layout';
import { SIGNATURES_SCHEMA } from '../../platform/pdf/model';
import { officerRole } from './document';
import type { ActFact, ActKind, SigningFacts } from './machine';
import type { ActRow, VersionRow } from './store';
import { readHandwriting } from '../../platform/pdf/stored-handwriting';

/**
 * How the record stands: signed by the party, or with the party's refusal noted (the layout),
 * and the refusals of the others who sign in turn (printed in their places).
 */
export type RecordMode = LayoutMode & {
  refusals?: readonly { signer: number; reason: string }[];
};

/** The layout mode from a signing's refusals (signer 0 is the party). */
export function recordModeOf(refusals: readonly { signer: number; reason: string }[]): RecordMode {
  const party = refusals.find((r) => r.signer === 0);
  const others = refusals
    .filter((r) => r.signer > 0)
    .map((r) => ({ signer: r.signer, reason: r.reason }));
  const base: RecordMode = party ? { kind: 'refused', reason: party.reason } : { kind: 'signed' };
  return others.length ? { ...base, refusals: others } : base;
}

/** Where a signing stops taking new versions (open a new signing instead). */
export const VERSIONS_PER_SIGNING = 10_000;

/** Milliseconds since the session started (0 before it did). */
export function sessionTime(session: SessionDto, at: number): number {
  return Math.max(0, at - (session.startedAt ?? at));
}

/** Handwriting from the tablet, its times moved onto the session clock. */
export function handwritingOnSessionClock(
  input: HandwritingInput,
  session: SessionDto,
  at: number,
): Handwriting {
  return handwritingFromInput(input, at, session.startedAt ?? at);
}

/** What the rules judge: the version's pages and corrections, the officers, every act. */
export function factsOf(
  version: VersionRow,
  acts: readonly ActRow[],
  officerIds: readonly number[],
  stale: boolean,
  /** The form the record is printed on (whether the others sign pages and seam). */
  formOf?: (kind: Transcript['kind']) => Pick<FormTemplate, 'othersSignPages' | 'othersSignSeam'>,
  /** The session officer of a certificate number (who read the record aloud). */
  officerOf?: (certificateNo: string) => number | undefined,
): SigningFacts {
  const transcript = JSON.parse(version.transcript) as Transcript;
  const form = formOf?.(transcript.kind);
  const reader = transcript.header.readAloud?.reader.certificateNo;
  return {
    ...(reader !== undefined && officerOf
      ? { mustSign: [officerOf(reader)].filter((x): x is number => x !== undefined) }
      : {}),
    signerCount: 1 + (transcript.header.signers?.length ?? 0),
    othersSignPages: form?.othersSignPages !== false,
    othersSignSeam: form?.othersSignSeam === true,
    version: version.version,
    pageCount: version.page_count,
    correctionIds: transcript.corrections.map((c) => c.id),
    officerIds,
    acts: acts.map((a): ActFact => ({
      kind: a.kind,
      version: a.version,
      page: a.page,
      correctionId: a.correction_id,
      officerId: a.officer_id,
      signer: a.signer,
    })),
    stale,
  };
}

/** The timeline kind each of the party's and officers' acts is mirrored as. */
export const ACT_TIMELINE_KIND: Record<
  Exclude<ActKind, 'refusal' | 'finish'>,
  SigningTimelineKind
> = {
  view: 'signing.page_viewed',
  initials: 'signing.correction_confirmed',
  page: 'signing.page_signed',
  seam: 'signing.seam_signed',
  closing: 'signing.closing_signed',
  officer: 'signing.officer_signed',
};

/** The signatures of the unsigned preview: every slot empty. */
export function blankSignatures(
  mode: RecordMode,
  closingText: string,
  /** How many sign in turn after the party. */
  others = 0,
): Signatures {
  const none: Handwriting = {
    canvas: { width: 1, height: 1 },
    strokes: [],
    signedAt: '',
    atMs: 0,
  };
  const rest: OtherSignature[] = Array.from({ length: others }, (_, i): OtherSignature => {
    const refusal = mode.refusals?.find((r) => r.signer === i + 1);
    return refusal
      ? { signer: i + 1, kind: 'refused', reason: refusal.reason, atMs: 0 }
      : {
          signer: i + 1,
          kind: 'signed',
          pages: [],
          closing: { text: closingText, handwriting: none },
        };
  });
  const withOthers = others ? { others: rest } : {};
  return mode.kind === 'refused'
    ? {
        schema: SIGNATURES_SCHEMA,
        kind: 'refused',
        reason: mode.reason,
        atMs: 0,
        officers: [],
        ...withOthers,
      }
    : {
        schema: SIGNATURES_SCHEMA,
        kind: 'signed',
        pages: [],
        corrections: {},
        closing: { text: closingText, handwriting: none },
        officers: [],
        ...withOthers,
      };
}

/**
 * The signatures the finished record prints: the newest act of each kind (and page,
 * correction, officer) in the given version.
 */
export function signaturesOf(
  allActs: readonly ActRow[],
  version: number,
  mode: RecordMode,
  session: SessionDto,
  form: FormTemplate,
  /** How many sign in turn after the party (`header.signers`). */
  others = 0,
): Signatures {
  const acts = allActs.filter((a) => a.version === version);
  const hw = (a: ActRow): Handwriting => readHandwriting(a.handwriting!);
  const newest = new Map<string, ActRow>();
  for (const a of acts) {
    const key = `${a.kind}:${a.signer}:${a.page ?? ''}:${a.correction_id ?? ''}:${a.officer_id ?? ''}`;
    newest.set(key, a);
  }
  const latest = [...newest.values()].sort((a, b) => a.id - b.id);
  const byOfficer = new Map(session.officers.map((o) => [o.officerId, o]));
  const officers: OfficerSignature[] = latest
    .filter((a) => a.kind === 'officer')
    .map((a) => {
      const o = byOfficer.get(a.officer_id!)!;
      return {
        officer: { name: o.name, certificateNo: o.certificateNo },
        role: officerRole(o, form),
        signature: hw(a),
      };
    });
  // Refusals are of the signing, whichever version they were made on.
  const refusalOfSigner = (n: number): ActRow | undefined =>
    allActs.find((a) => a.kind === 'refusal' && a.signer === n);
  const pagesOf = (n: number) =>
    latest
      .filter((a) => a.kind === 'page' && a.signer === n)
      .sort((a, b) => a.page! - b.page!)
      .map((a) => ({ page: a.page!, signature: hw(a) }));
  const seamOf = (n: number) => {
    const seam = latest.find((a) => a.kind === 'seam' && a.signer === n);
    return seam ? { seam: hw(seam) } : {};
  };
  const closingOf = (n: number) => {
    const c = latest.find((a) => a.kind === 'closing' && a.signer === n)!;
    return { text: (JSON.parse(c.data) as { text: string }).text, handwriting: hw(c) };
  };
  const rest: OtherSignature[] = Array.from({ length: others }, (_, i): OtherSignature => {
    const n = i + 1;
    const refusal = refusalOfSigner(n);
    return refusal
      ? {
          signer: n,
          kind: 'refused',
          reason: (JSON.parse(refusal.data) as { reason: string }).reason,
          atMs: refusal.at_ms,
        }
      : {
          signer: n,
          kind: 'signed',
          pages: pagesOf(n),
          ...seamOf(n),
          closing: closingOf(n),
        };
  });
  const withOthers = others ? { others: rest } : {};
  if (mode.kind === 'refused') {
    const refusal = refusalOfSigner(0)!;
    return {
      schema: SIGNATURES_SCHEMA,
      kind: 'refused',
      reason: mode.reason,
      atMs: refusal.at_ms,
      officers,
      ...withOthers,
    };
  }
  return {
    schema: SIGNATURES_SCHEMA,
    kind: 'signed',
    pages: pagesOf(0),
    ...seamOf(0),
    corrections: Object.fromEntries(
      latest.filter((a) => a.kind === 'initials').map((a) => [a.correction_id!, hw(a)]),
    ),
    closing: closingOf(0),
    officers,
    ...withOthers,
  };
}
