/**
 * Review and signing of a session's transcript (R2.2, R2.4, R3.1), as one service the
 * handlers and the LAN tablet call; the work is done by the parts it wires together.
 *
 * The desk opens a signing when the recording has ended: the transcript is frozen (version 1,
 * what the party reviews) and laid out exactly as it will print (`opening.ts`). The party's
 * page (the tablet, with the signing's token) shows the unsigned preview page by page
 * (`previews.ts`), and every view is recorded. Changes the clerk makes afterwards at the
 * party's request are taken in by `refresh`: a new version whose differences from the
 * reviewed text are corrections, printed struck through and underlined, each confirmed by the
 * party's initials at the change. The party then signs every page, the seam, and writes the
 * closing statement (`acts.ts`); two or more officers sign in person (`officers.ts`); or the
 * party refuses, the refusal goes on the record and on the timeline, and two officers sign
 * (`refusal.ts`). `finish` renders the signed PDF (PAdES) with the workstation's identity and
 * writes it, its transcript and its strokes atomically beside the session's media
 * (`finishing.ts`).
 *
 * Every act is kept (append-only, `store.ts`) with its wall time and session time, and is
 * mirrored onto the session timeline so it can be found on the desk camera. The rules are
 * pure (`machine.ts`, `rules.ts`).
 */
import type { OfficerConfirmation, SessionKind } from '../../../shared/domain';
import type { GuideStep } from '../../../shared/api/guide';
import type {
  PhraseDto,
  HandwritingInput,
  PreviewChunkDto,
  SigningFinishedDto,
  SigningOpenedDto,
  SigningStatusDto,
} from '../../../shared/api/signing';
import type { Caller, ServiceDeps } from '../context';
import { SigningActs } from './acts';
import { SigningContext, type SigningPorts } from './context';
import { SigningFinishing } from './finishing';
import { SigningOfficers } from './officers';
import { SigningOpening, type NoticeOverride } from './opening';
import { SigningPreviews } from './previews';
import type { SigningOptions } from './printer';
import { SigningRefusal } from './refusal';
import { SigningReader } from './status';
import { FORM_OF_SESSION, intervieweeOf } from './document';
import { phraseFiller, phrasesOf } from './phrases';
import { SPEAKERS_BY_KIND } from '../../../shared/rules/transcript';

export type { SigningOptions } from './printer';
export type { SigningPorts } from './context';

export class SigningService {
  private readonly reader: SigningReader;
  private readonly previews: SigningPreviews;
  private readonly opening: SigningOpening;
  private readonly acts: SigningActs;
  private readonly officers: SigningOfficers;
  private readonly refusal: SigningRefusal;
  private readonly finishing: SigningFinishing;
  private readonly ctx: SigningContext;

  constructor(deps: ServiceDeps, ports: SigningPorts, dataDir: string, opts: SigningOptions = {}) {
    const ctx = new SigningContext(deps, ports, dataDir, opts);
    this.ctx = ctx;
    this.reader = new SigningReader(ctx);
    this.previews = new SigningPreviews(ctx, this.reader);
    this.opening = new SigningOpening(ctx, this.reader, this.previews);
    this.acts = new SigningActs(ctx, this.reader);
    this.officers = new SigningOfficers(ctx, this.reader, this.acts);
    this.refusal = new SigningRefusal(ctx, this.reader);
    this.finishing = new SigningFinishing(ctx, this.reader, this.previews);
  }

  /** What the desk and the tablet show about a signing. */
  status(caller: Caller, signingId: number, token?: string): SigningStatusDto {
    return this.reader.status(caller, signingId, token);
  }

  /** The latest signing of a session, or null (never with a token: see {@link partyPage}). */
  ofSession(caller: Caller, sessionId: number): SigningStatusDto | null {
    return this.reader.ofSession(caller, sessionId);
  }

  /** The phrase guide's notices for the session's form, filled in (see phrases.ts). */
  phrases(sessionId: number): PhraseDto[] {
    const session = this.ctx.ports.sessions.get(sessionId);
    const form = this.ctx.printer.templates().kinds[FORM_OF_SESSION[session.kind]];
    const agency =
      session.officers.map((o) => this.ctx.ports.officers.get(o.officerId).unit).find(Boolean) ??
      null;
    const interviewee = intervieweeOf(session.participants);
    return phrasesOf(
      form,
      session,
      { agency, partyName: interviewee?.name ?? null },
      SPEAKERS_BY_KIND[session.kind],
      (step) => this.ctx.ports.guide?.wording(session.kind, step),
    );
  }

  /** The phrase guide's phrases for the session, filled in as the notices are. */
  guidePhrases(sessionId: number): {
    version: number;
    kind: SessionKind;
    phrases: { step: GuideStep; text: string }[];
  } {
    const session = this.ctx.ports.sessions.get(sessionId);
    const guide = this.ctx.ports.guide;
    if (!guide) return { version: 0, kind: session.kind, phrases: [] };
    const agency =
      session.officers.map((o) => this.ctx.ports.officers.get(o.officerId).unit).find(Boolean) ??
      null;
    const fill = phraseFiller(session, {
      agency,
      partyName: intervieweeOf(session.participants)?.name ?? null,
    });
    return {
      version: guide.current().version,
      kind: session.kind,
      phrases: guide.entriesFor(session.kind).map((e) => ({ step: e.step, text: fill(e.text) })),
    };
  }

  /**
   * A new party page for an open signing (the desk lost its link, or the page is to move to
   * another screen): a fresh token, returned once; the page opened with the one before stops
   * working. Case writers only; audited.
   */
  partyPage(caller: Caller, signingId: number): { token: string } {
    return this.opening.issueSurface(caller, signingId, 'page');
  }

  /**
   * What a LAN tablet is paired to: a signing still open to the party's page (open, or
   * refused while the officers sign). Case writers only.
   */
  lanTarget(
    caller: Caller,
    signingId: number,
    opts: { finished?: boolean } = {},
  ): { signingId: number; sessionId: number; caseId: number } {
    return this.reader.lanTarget(caller, signingId, opts);
  }

  /** The token a newly paired LAN tablet acts with (the earlier tablet's stops working). */
  tabletToken(caller: Caller, signingId: number): { token: string } {
    return this.opening.issueSurface(caller, signingId, 'lan-tablet');
  }

  /**
   * Whether a signing still takes signatures (open, or refused by the party while the
   * officers sign): a LAN tablet's pairing ends when it is finished.
   */
  isOpen(signingId: number): boolean {
    try {
      return this.reader.row(signingId).state !== 'finished';
    } catch {
      return false;
    }
  }

  /** A piece of the unsigned preview PDF (pages exactly as they will print, slots empty). */
  preview(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    offset = 0,
  ): Promise<PreviewChunkDto> {
    return this.previews.chunk(caller, signingId, token, offset);
  }

  /**
   * Opens the signing of a session whose recording has ended: freezes the transcript as the
   * party will review it. Opening again while one is open returns that one.
   */
  open(
    caller: Caller,
    sessionId: number,
    closingText?: string,
    override?: NoticeOverride,
    readAloud?: { readerOfficerId: number },
  ): Promise<SigningOpenedDto> {
    return this.opening.open(caller, sessionId, closingText, override, readAloud);
  }

  /**
   * Takes in changes made after the review: freezes the transcript again, with every change
   * since version 1 as a correction the party confirms at the change.
   */
  refresh(caller: Caller, signingId: number): Promise<SigningStatusDto> {
    return this.opening.refresh(caller, signingId);
  }

  /** The party saw a page of the current version. */
  viewPage(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    page: number,
    /** Whose part the page shows (0 the one questioned, 1… the others in turn). */
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.acts.viewPage(caller, signingId, token, version, page, signer);
  }

  /** The party's initials at a correction made after the review. */
  confirmCorrection(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    correctionId: string,
    handwriting: HandwritingInput,
    /** Whose part the page shows (0 the one questioned, 1… the others in turn). */
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.acts.confirmCorrection(
      caller,
      signingId,
      token,
      version,
      correctionId,
      handwriting,
      signer,
    );
  }

  /** The party signs and dates one page. */
  signPage(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    page: number,
    handwriting: HandwritingInput,
    /** Whose part the page shows (0 the one questioned, 1… the others in turn). */
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.acts.signPage(caller, signingId, token, version, page, handwriting, signer);
  }

  /** The party signs across the seam of all pages. */
  seam(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    handwriting: HandwritingInput,
    /** Whose part the page shows (0 the one questioned, 1… the others in turn). */
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.acts.seam(caller, signingId, token, version, handwriting, signer);
  }

  /** The party writes the closing statement (the signing's own words, when given). */
  closingStatement(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    text: string | undefined,
    handwriting: HandwritingInput,
    /** Whose part the page shows (0 the one questioned, 1… the others in turn). */
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.acts.closingStatement(caller, signingId, token, version, text, handwriting, signer);
  }

  /** An officer's signature, on the armed tablet or at the desk (in person, R2.2). */
  officer(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    officerId: number,
    handwriting: HandwritingInput,
    confirmation?: OfficerConfirmation,
  ): Promise<SigningStatusDto> {
    return this.officers.officer(
      caller,
      signingId,
      token,
      version,
      officerId,
      handwriting,
      confirmation,
    );
  }

  /** Arms the tablet for one officer's signature, once, for a short while. */
  armOfficer(
    caller: Caller,
    signingId: number,
    officerId: number,
    confirmation: OfficerConfirmation | undefined,
  ): Promise<SigningStatusDto> {
    return this.officers.armOfficer(caller, signingId, officerId, confirmation);
  }

  /** Withdraws the tablet's arming (the officer stepped away, or the wrong one was armed). */
  disarmOfficer(caller: Caller, signingId: number): Promise<SigningStatusDto> {
    return this.officers.disarmOfficer(caller, signingId);
  }

  /** The party refuses to sign (R2.2): on the record and the timeline; officers sign next. */
  refuse(
    caller: Caller,
    signingId: number,
    reason: string,
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.refusal.refuse(caller, signingId, reason, signer);
  }

  /** Renders, PAdES-signs and durably writes the signed record; records its SHA-256. */
  finish(caller: Caller, signingId: number): Promise<SigningFinishedDto> {
    return this.finishing.finish(caller, signingId);
  }
}
