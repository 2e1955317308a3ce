/**
 * Review and signing of a session's transcript (笔录) on the party's tablet (R2.2, R2.4,
 * R3.1): the wire format of handwriting, the access rule of the party's page, and what
 * the core reports about a signing in progress.
 *
 * Two kinds of caller take part:
 * - the officers' desk, signed in (opens, refreshes after corrections, records a refusal,
 *   finishes);
 * - the party's signing page, which is not signed in: it holds the signing's own random
 *   `token` (in the page's address) and can reach that one signing and nothing else.
 */
import { z } from 'zod';
import { idSchema, officerConfirmationSchema } from '../domain';
import { CASE_WRITERS, events, method } from './define';
import { officersInPersonFields, refineOfficersInPerson } from './sessions';
import type { ProcedureStep, Speaker } from '../rules/transcript';

/** The closing statement the party writes by hand unless the agency configured another. */
export const DEFAULT_CLOSING_STATEMENT = '以上笔录我看过，和我说的相符';
/** The closing statement of a party who cannot read, to whom the record was read aloud. */
export const READ_ALOUD_CLOSING_STATEMENT = '以上笔录已向我宣读，和我说的相符';

/** Bounds on one piece of handwriting (a frame is at most 1 MiB of JSON). */
export const HANDWRITING_LIMITS = {
  /** Points in one signature, all strokes together. Never thinned: more is refused. */
  maxPoints: 20_000,
  maxStrokes: 1_000,
  /** Largest canvas side, in CSS pixels. */
  maxCanvas: 4096,
  /** Longest time one piece of handwriting may take (ms from its first point). */
  maxDurationMs: 30 * 60 * 1000,
} as const;

export const POINTER_KINDS = ['pen', 'touch', 'mouse'] as const;
export type PointerKind = (typeof POINTER_KINDS)[number];

const coordinate = z.number().min(-16_384).max(16_384);
/** `[x, y, dt, pressure]`: CSS pixels in the canvas, ms after `t0`, 0–1 (PointerEvent.pressure). */
const pointSchema = z.tuple([
  coordinate,
  coordinate,
  z.number().min(0).max(HANDWRITING_LIMITS.maxDurationMs),
  z.number().min(0).max(1),
]);

/** One stroke, pointer-down to pointer-up, as the pad sampled it (every point kept). */
export const strokeInputSchema = z
  .object({ pointerType: z.enum(POINTER_KINDS), points: z.array(pointSchema).min(1) })
  .strict();

/**
 * Handwriting as the signing page sends it. Compact on purpose (a full-sampled signature is
 * thousands of points): points are tuples, their times relative to `t0`. The core moves the
 * times onto the session clock with the offset between `clientNow` and its own clock, so a
 * tablet whose clock is off still stamps the strokes on the recording's time line.
 */
export const handwritingInputSchema = z
  .object({
    canvas: z
      .object({
        width: z.number().int().min(1).max(HANDWRITING_LIMITS.maxCanvas),
        height: z.number().int().min(1).max(HANDWRITING_LIMITS.maxCanvas),
      })
      .strict(),
    /** The tablet's clock (UTC ms) at the first point. */
    t0: z.number().min(0).max(8_640_000_000_000_000),
    /** The tablet's clock (UTC ms) when it sent this. */
    clientNow: z.number().min(0).max(8_640_000_000_000_000),
    strokes: z.array(strokeInputSchema).min(1).max(HANDWRITING_LIMITS.maxStrokes),
  })
  .strict()
  .superRefine((h, ctx) => {
    const points = h.strokes.reduce((n, s) => n + s.points.length, 0);
    if (points > HANDWRITING_LIMITS.maxPoints) {
      ctx.addIssue({
        code: 'custom',
        path: ['strokes'],
        message: `at most ${HANDWRITING_LIMITS.maxPoints} points`,
      });
    }
    if (points < 2) {
      ctx.addIssue({ code: 'custom', path: ['strokes'], message: 'nothing was written' });
    }
  });
export type HandwritingInput = z.output<typeof handwritingInputSchema>;

/** Who may act on a signing: a signed-in officer, or the party's page with the signing's token. */
export const signingAccessSchema = {
  signingId: z.number().int().positive(),
  /** The party page's capability (from its address); absent for the signed-in desk. */
  token: z.string().min(16).max(128).optional(),
};

/** What the party signs over: the version of the frozen text the page is showing. */
const versionSchema = z.number().int().min(1).max(10_000);

/**
 * Whose part the page shows (0 the one questioned, 1… the others in turn, as `signers`
 * lists them): an act meant for someone whose turn is over is refused, not misfiled.
 */
const signerSchema = z.number().int().min(0).max(64).optional();

export const signingSchemas = {
  open: z
    .object({
      sessionId: z.number().int().positive(),
      /** The closing statement to write (default {@link DEFAULT_CLOSING_STATEMENT}). */
      closingText: z.string().trim().min(2).max(100).optional(),
      /**
       * Opens the signing although the recording notice or the rights notice is not on the
       * record: two or more of the session's officers in person, and why. Printed in the record.
       */
      /**
       * The party cannot read: one of the session's officers reads the record aloud, says so in
       * it and signs as the reader (宣读人); the closing statement is 已向我宣读.
       */
      readAloud: z.object({ readerOfficerId: z.number().int().positive() }).strict().optional(),
      noticeOverride: z
        .object({ reason: z.string().trim().min(4).max(1000), ...officersInPersonFields })
        .strict()
        .superRefine(refineOfficersInPerson)
        .optional(),
    })
    .strict(),
  ofSession: z.object({ sessionId: z.number().int().positive() }).strict(),
  status: z.object(signingAccessSchema).strict(),
  preview: z
    .object({ ...signingAccessSchema, offset: z.number().int().min(0).optional() })
    .strict(),
  viewPage: z
    .object({
      ...signingAccessSchema,
      version: versionSchema,
      signer: signerSchema,
      page: z.number().int().min(1).max(10_000),
    })
    .strict(),
  refresh: z.object({ signingId: z.number().int().positive() }).strict(),
  confirmCorrection: z
    .object({
      ...signingAccessSchema,
      version: versionSchema,
      signer: signerSchema,
      correctionId: z.string().min(1).max(100),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  signPage: z
    .object({
      ...signingAccessSchema,
      version: versionSchema,
      signer: signerSchema,
      page: z.number().int().min(1).max(10_000),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  seam: z
    .object({
      ...signingAccessSchema,
      version: versionSchema,
      signer: signerSchema,
      handwriting: handwritingInputSchema,
    })
    .strict(),
  closingStatement: z
    .object({
      ...signingAccessSchema,
      version: versionSchema,
      signer: signerSchema,
      /** The words written; must be the signing's closing text when given. */
      text: z.string().trim().min(2).max(100).optional(),
      handwriting: handwritingInputSchema,
    })
    .strict(),
  /**
   * An officer's signature. At the desk: the signed-in officer's own, or another officer's
   * with their `confirmation` (own username and password). On the tablet (with the token):
   * only the officer the desk armed for it, once, within {@link OFFICER_ARMING_MS}; the
   * party's page never takes a password.
   */
  officer: z
    .object({
      ...signingAccessSchema,
      version: versionSchema,
      officerId: z.number().int().positive(),
      handwriting: handwritingInputSchema,
      confirmation: officerConfirmationSchema.optional(),
    })
    .strict()
    .refine((o) => !(o.token !== undefined && o.confirmation !== undefined), {
      message: 'the signing page never takes a password',
      path: ['confirmation'],
    }),
  /**
   * The desk lets one officer sign on the tablet: that officer (signed in, or with their
   * `confirmation`) arms it for one signature within {@link OFFICER_ARMING_MS}.
   */
  armOfficer: z
    .object({
      signingId: z.number().int().positive(),
      officerId: z.number().int().positive(),
      confirmation: officerConfirmationSchema.optional(),
    })
    .strict(),
  /** Withdraws the tablet's arming before it is used or runs out. */
  disarmOfficer: z.object({ signingId: z.number().int().positive() }).strict(),
  /** A pairing code for a tablet on the LAN (the signing page over HTTPS, nothing else). */
  lanPair: z.object({ signingId: z.number().int().positive() }).strict(),
  /** Ends the pairing code and unpairs every LAN tablet of the signing. */
  lanUnpair: z.object({ signingId: z.number().int().positive() }).strict(),
  refuse: z
    .object({
      signingId: z.number().int().positive(),
      /** Whose refusal: the one at the tablet now (as `signer` of the status). */
      signer: signerSchema,
      reason: z.string().trim().min(2).max(500),
    })
    .strict(),
  finish: z.object({ signingId: z.number().int().positive() }).strict(),
};

/** How long the tablet stays armed for one officer's signature. */
export const OFFICER_ARMING_MS = 2 * 60 * 1000;

/** The preview PDF is sent in pieces: this many bytes of PDF (512 KiB of base64) a frame. */
export const PREVIEW_CHUNK_BYTES = 384 * 1024;

/** A rectangle in PDF points, origin at the bottom left of an A4 page. */
export interface BoxDto {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where something is written on a page (so the tablet can point at the place). */
export type SlotDto =
  /** `signer`: whose line it is (0 the one questioned, 1… the others in turn). */
  | { type: 'page'; page: number; signer: number; box: BoxDto }
  | { type: 'initials'; correctionId: string; box: BoxDto }
  | { type: 'closing'; signer: number; box: BoxDto }
  | { type: 'officer'; role: string; certificateNo: string; box: BoxDto };

export interface SigningPageDto {
  number: number;
  slots: SlotDto[];
  /** This page's seam strip and the whole band it is a slice of (documents of 2+ pages). */
  seam: { strip: BoxDto; band: BoxDto } | null;
  /** Every seam band of the page by whose it is (0 the party's), where others sign it too. */
  seams: { signer: number; strip: BoxDto; band: BoxDto }[];
}

/** A change made after the party's review, shown struck through and underlined. */
export interface CorrectionDto {
  id: string;
  turnId: string;
  /** Page the change (and its initials box) is printed on. */
  page: number;
  speaker: string;
  originalText: string;
  newText: string;
  /** A little of the text around the change, for the party to find it. */
  before: string;
  after: string;
  confirmed: boolean;
}

/** One who signs the record in turn (R2.3): the one questioned first, then the others. */
export interface SignerDto {
  /** 0 the one questioned, 1… the others in the order the record lists them. */
  index: number;
  name: string;
  /** As the record prints it: 当事人, 委托代理人, 第三人, 证人, 翻译人员 … */
  role: string;
  /** Signed throughout, refused, signing now on the tablet, or waiting for their turn. */
  state: 'signed' | 'refused' | 'signing' | 'waiting';
  refusal: { reason: string; at: number; atMs: number } | null;
}

export interface SigningOfficerDto {
  officerId: number;
  name: string;
  certificateNo: string;
  /** Role in the session (interviewer, recorder, moderator, investigator). */
  role: string;
  signed: boolean;
}

/** The next thing to do, in the order the page leads the party through. */
export const SIGNING_STEPS = [
  'review',
  'corrections',
  'pages',
  'seam',
  'closing',
  'officers',
  'finish',
  'finished',
] as const;
export type SigningStep = (typeof SIGNING_STEPS)[number];

/** What still keeps the record from being finished (stable codes; the UI words them). */
export type SigningMissing =
  | { code: 'stale' }
  | { code: 'views'; pages: number[] }
  | { code: 'corrections'; ids: string[] }
  | { code: 'pages'; pages: number[] }
  | { code: 'seam' }
  | { code: 'closing' }
  /** Signers after the one signing now (by their place in `signers`) who have not yet signed. */
  | { code: 'signers'; signers: number[] }
  | { code: 'officers'; have: number; need: number }
  /** An officer who must sign in person has not: the one who read the record aloud. */
  | { code: 'reader'; officerId: number };

export type SigningState = 'open' | 'refused' | 'finished';

export interface SigningStatusDto {
  signingId: number;
  sessionId: number;
  caseId: number;
  caseNo: string;
  /** 询问笔录 / 听证笔录 / 约谈笔录. */
  title: string;
  partyName: string;
  state: SigningState;
  /** The frozen text the party is shown; a refresh after a correction makes a new one. */
  version: number;
  /** Whether the transcript changed since this version was frozen (the desk refreshes). */
  stale: boolean;
  pageCount: number;
  /** SHA-256 of the frozen transcript JSON (the seam prints its first 16 digits). */
  contentHash: string;
  /** A4 in points. */
  pageSize: { width: number; height: number };
  pages: SigningPageDto[];
  closingText: string;
  corrections: CorrectionDto[];
  /** Pages of this version the party has seen on the tablet. */
  viewed: number[];
  signedPages: number[];
  seamSigned: boolean;
  closingSigned: boolean;
  officers: SigningOfficerDto[];
  /** Distinct officers who must sign at least (R2.2). */
  officersNeeded: number;
  /** The officer the desk let sign on the tablet, until when (once; null when none). */
  armed: { officerId: number; name: string; until: number } | null;
  refusal: { reason: string; at: number; atMs: number } | null;
  step: SigningStep;
  missing: SigningMissing[];
  /** Who signs in turn: the one questioned, then (where the form asks) every other participant. */
  signers: SignerDto[];
  /**
   * Whose part the tablet shows now (index into `signers`), or null once everyone has signed
   * or refused; `viewed`, `signedPages` and `closingSigned` are that signer's.
   */
  signer: number | null;
  finished: { path: string; sha256: string; finishedAt: number; pageCount: number } | null;
}

/** What the desk gets when it opens a signing: the status and the party page's token. */
export interface SigningOpenedDto extends SigningStatusDto {
  token: string;
}

/** What the officer's screen shows to pair a LAN tablet. */
export interface LanPairingDto {
  /** The address the tablet opens (https://<this workstation>:<port>/). */
  url: string;
  /** Six digits, typed on the tablet; once, until `expiresAt`. */
  code: string;
  /** SHA-256 of the HTTPS certificate (AB:CD:…), to compare with what the tablet shows. */
  fingerprint: string;
  expiresAt: number;
}

/** One piece of the preview PDF. */
export interface PreviewChunkDto {
  version: number;
  /** `signed` (slots for the party) or `refused` (the refusal note). */
  mode: 'signed' | 'refused';
  /** The other signers who refused (their notes instead of their slots), by place in `signers`. */
  refusals: number[];
  offset: number;
  total: number;
  /** Base64 of bytes `offset … offset + n` of the PDF. */
  base64: string;
}

export interface SigningFinishedDto {
  signingId: number;
  sessionId: number;
  /** Relative to the data directory, e.g. `sessions/7/transcript.pdf`. */
  path: string;
  sha256: string;
  contentHash: string;
  pageCount: number;
  bytes: number;
  finishedAt: number;
}

/** A notice as the agency's phrase guide words it, for the step it does (告知). */
export interface PhraseDto {
  step: ProcedureStep;
  /** Who says it, and who answers. */
  speaker: Speaker;
  statement: string;
  responder: Speaker;
}

/** Kinds of the signing acts on the session timeline (`session_events.kind`). */
export const SIGNING_TIMELINE_KINDS = [
  'signing.opened',
  'signing.notice_overridden',
  'signing.refreshed',
  'signing.page_viewed',
  'signing.correction_confirmed',
  'signing.page_signed',
  'signing.seam_signed',
  'signing.closing_signed',
  'signing.officer_armed',
  'signing.officer_disarmed',
  'signing.officer_signed',
  'signing.refused',
  'signing.finished',
] as const;
export type SigningTimelineKind = (typeof SIGNING_TIMELINE_KINDS)[number];

// ---------------------------------------------------------------------------------------
// Methods and events
//
// Methods marked `public` are reached by the party's signing page, which is not signed in:
// the core checks the signing's `token` (or, without one, a signed-in officer).

export const signingMethods = {
  /**
   * Opens the signing of a session whose recording has ended: freezes the transcript (the
   * text the party reviews) and lays it out as it will print. Returns the party page's
   * token; opening again returns the signing already open.
   */
  'signing.open': method<SigningOpenedDto>()(signingSchemas.open, CASE_WRITERS),
  /** The session's latest signing, or null (never with a token: tokens are kept as hashes). */
  'signing.ofSession': method<SigningStatusDto | null>()(signingSchemas.ofSession, CASE_WRITERS),
  /** The phrase guide's notices for the session's form, filled in with its officers and party. */
  'signing.phrases': method<PhraseDto[]>()(signingSchemas.ofSession, CASE_WRITERS),
  /**
   * A new party page for an open signing, its token returned once: the page opened with the
   * token before it stops working (R2.2: the party signs on one surface the desk names).
   */
  'signing.partyPage': method<{ token: string }>()(
    z.object({ signingId: idSchema }).strict(),
    CASE_WRITERS,
  ),
  'signing.status': method<SigningStatusDto>()(signingSchemas.status, 'public'),
  /** The unsigned preview PDF (pages as printed, slots empty) from `offset`, 384 KiB a piece. */
  'signing.preview': method<PreviewChunkDto>()(signingSchemas.preview, 'public'),
  /** The party saw a page (recorded with its time; every page is seen before signing). */
  'signing.viewPage': method<SigningStatusDto>()(signingSchemas.viewPage, 'public'),
  /** Takes in the clerk's changes after the review: a new version, the changes as corrections. */
  'signing.refresh': method<SigningStatusDto>()(signingSchemas.refresh, CASE_WRITERS),
  /** The party's initials at a correction (the digital fingerprint at the change, R2.2). */
  'signing.confirmCorrection': method<SigningStatusDto>()(
    signingSchemas.confirmCorrection,
    'public',
  ),
  /** The party's signature and date on one page. */
  'signing.signPage': method<SigningStatusDto>()(signingSchemas.signPage, 'public'),
  /** The seam signature: one signature, cut into one strip per page. */
  'signing.seam': method<SigningStatusDto>()(signingSchemas.seam, 'public'),
  /** The handwritten closing statement (以上笔录我看过，和我说的相符). */
  'signing.closingStatement': method<SigningStatusDto>()(signingSchemas.closingStatement, 'public'),
  /**
   * An officer of the session signs; two or more sign. At the desk only as themselves
   * (their own sign-in or their own password); on the tablet only when the desk armed it.
   */
  'signing.officer': method<SigningStatusDto>()(signingSchemas.officer, 'public'),
  /** The officer at the desk lets the tablet take their own signature, once, for two minutes. */
  'signing.armOfficer': method<SigningStatusDto>()(signingSchemas.armOfficer, CASE_WRITERS),
  'signing.disarmOfficer': method<SigningStatusDto>()(signingSchemas.disarmOfficer, CASE_WRITERS),
  /**
   * Pairs a tablet on the LAN: the workstation serves the signing page (and nothing else)
   * over HTTPS; the tablet types the code, its user checks the certificate fingerprint.
   */
  'signing.lanPair': method<LanPairingDto>()(signingSchemas.lanPair, CASE_WRITERS),
  'signing.lanUnpair': method<{ tablets: number }>()(signingSchemas.lanUnpair, CASE_WRITERS),
  /** The party refuses to sign: the reason on the record, a refusal marker on the timeline. */
  'signing.refuse': method<SigningStatusDto>()(signingSchemas.refuse, CASE_WRITERS),
  /** Renders, signs (PAdES) and stores the record beside the session's media. */
  'signing.finish': method<SigningFinishedDto>()(signingSchemas.finish, CASE_WRITERS),
} as const;

export interface SigningEvents {
  /** A signing moved on (an act, a refresh, a refusal, the finish): re-read its status. */
  'signing.changed': { signingId: number; sessionId: number; version: number };
}
export const SIGNING_EVENTS = events<SigningEvents>()(['signing.changed']);
