/**
 * Review and signing of a session's transcript (issue 3; R2.2, R2.4, R3.1).
 *
 * The desk opens a signing when the recording has ended: the transcript is frozen (version 1,
 * what the party reviews) and laid out exactly as it will print. The party's page (the
 * tablet, with the signing's token) shows the unsigned preview page by page, and every view
 * is recorded. Changes the clerk makes afterwards at the party's request are taken in by
 * `refresh`: a new version whose differences from the reviewed text are corrections, printed
 * struck through and underlined, each confirmed by the party's initials at the change. The
 * party then signs every page, the seam, and writes the closing statement; two or more
 * officers sign; or the party refuses, the refusal goes on the record and on the timeline,
 * and two officers sign. `finish` renders the signed PDF (PAdES) with the workstation's
 * identity and writes it, its transcript and its strokes atomically beside the session's
 * media.
 *
 * Every act is kept (append-only, migration 006) with its wall time and session time, and is
 * mirrored onto the session timeline so it can be found on the desk camera.
 */
import { fsyncDirectorySync, writeFileAtomicSync } from '../../platform/fs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_WRITERS } from '../../../shared/api/index';
import { AppError } from '../../../shared/errors';
import type { OfficerConfirmation, SessionDto } from '../../../shared/domain';
import {
  DEFAULT_CLOSING_STATEMENT,
  OFFICER_ARMING_MS,
  PREVIEW_CHUNK_BYTES,
  type HandwritingInput,
  type PreviewChunkDto,
  type SigningFinishedDto,
  type SigningOpenedDto,
  type SigningState,
  type SigningStatusDto,
  type SigningTimelineKind,
} from '../../../shared/api/signing';
import { canonicalJson } from '../../platform/pdf/canonical';
import { loadTemplates } from '../../platform/pdf/templates';
import type { TranscriptTemplates } from '../../platform/pdf/templates';
import { defaultResourcesDir } from '../../platform/pdf/fonts';
import {
  paginateTranscript,
  renderTranscriptPdf,
  type RenderedTranscript,
} from '../../platform/pdf/render';
import type {
  Handwriting,
  OfficerSignature,
  Signatures,
  Transcript,
  TranscriptDocument,
} from '../../platform/pdf/model';
import { SIGNATURES_SCHEMA } from '../../platform/pdf/model';
import { PdfInputError } from '../../platform/pdf/validate';
import { loadOrCreateIdentity, type WorkstationIdentity } from '../../platform/pki';
import { sameSecret } from '../../platform/secrets';
import {
  buildTranscript,
  correctedTurns,
  CorrectionError,
  correctionsOf,
  officerRole,
  pagesOf,
  reviewedTurns,
  turnsHash,
  type HeaderSources,
} from './document';
import {
  assertMay,
  OFFICERS_NEEDED,
  progressOf,
  type ActFact,
  type ActKind,
  type ActRequest,
  type SigningFacts,
} from './machine';
import type { CasesService } from '../cases/service';
import { requireRole, type Caller, type ServiceDeps } from '../context';
import { appendSessionEvent } from '../sessions';
import type { OfficersService } from '../registers/service';
import type { UsersService } from '../users/service';
import type { SessionsService } from '../sessions/service';
import type { TranscriptsService } from '../transcript/service';

interface SigningRow {
  id: number;
  session_id: number;
  document_id: string;
  token: string;
  closing_text: string;
  opened_by: number;
  opened_at: number;
  state: SigningState;
  finished_at: number | null;
  pdf_path: string | null;
  pdf_sha256: string | null;
  content_hash: string | null;
  page_count: number | null;
}

interface VersionRow {
  signing_id: number;
  version: number;
  transcript_seq: number;
  turns_hash: string;
  content_hash: string;
  page_count: number;
  transcript: string;
  frozen_at: number;
}

interface ActRow {
  id: number;
  version: number;
  kind: ActKind;
  page: number | null;
  correction_id: string | null;
  officer_id: number | null;
  handwriting: string | null;
  data: string;
  at: number;
  at_ms: number;
}

/** How the caller reached the signing: the party's page (token) or the signed-in desk. */
type Via = 'tablet' | 'desk';

export interface SigningOptions {
  /** resources/ (fonts and templates); found automatically when omitted. */
  resourcesDir?: string;
  /** Where the workstation identity lives (default `<dataDir>/identity`). */
  identityDir?: string;
  /** Producer string for the PDF. */
  producer?: string;
}

const VERSIONS_PER_SIGNING = 10_000;

/** Compared against when the signing is unknown, so both cases take the same work. */
const UNKNOWN_SIGNING_TOKEN = '0'.repeat(64);

export class SigningService {
  private readonly resourcesDir: string;
  private templatesCache: TranscriptTemplates | null = null;
  private identity: Promise<WorkstationIdentity> | null = null;
  /** The last preview rendered per signing (the tablet fetches it in pieces). */
  private readonly previews = new Map<number, { key: string; pdf: Buffer }>();
  /** One change at a time per signing (rendering is asynchronous). */
  private readonly locks = new Map<number, Promise<unknown>>();
  /**
   * The tablet armed for one officer's signature, per signing: set at the desk by that
   * officer, used once, gone after {@link OFFICER_ARMING_MS}. Kept in memory on purpose: a
   * restarted core forgets it and the officer arms again (the arming itself is audited).
   */
  private readonly armings = new Map<
    number,
    {
      officerId: number;
      userId: number;
      version: number;
      until: number;
      timer: ReturnType<typeof setTimeout>;
    }
  >();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly services: {
      sessions: SessionsService;
      cases: CasesService;
      officers: OfficersService;
      transcripts: TranscriptsService;
      users: UsersService;
    },
    private readonly dataDir: string,
    private readonly opts: SigningOptions = {},
  ) {
    this.resourcesDir = opts.resourcesDir ?? '';
  }

  // -------------------------------------------------------------------------------------
  // Reading

  private resources(): string {
    return this.resourcesDir || defaultResourcesDir();
  }

  private templates(): TranscriptTemplates {
    this.templatesCache ??= loadTemplates(this.resources());
    return this.templatesCache;
  }

  private row(signingId: number): SigningRow {
    const row = this.deps.db.prepare('SELECT * FROM signings WHERE id = ?').get(signingId) as
      SigningRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no signing ${signingId}`);
    return row;
  }

  private latestVersion(signingId: number): VersionRow {
    return this.deps.db
      .prepare('SELECT * FROM signing_versions WHERE signing_id = ? ORDER BY version DESC LIMIT 1')
      .get(signingId) as VersionRow;
  }

  private firstVersion(signingId: number): VersionRow {
    return this.deps.db
      .prepare('SELECT * FROM signing_versions WHERE signing_id = ? AND version = 1')
      .get(signingId) as VersionRow;
  }

  private acts(signingId: number): ActRow[] {
    return this.deps.db
      .prepare(
        `SELECT id, version, kind, page, correction_id, officer_id, handwriting, data, at, at_ms
         FROM signing_acts WHERE signing_id = ? ORDER BY id`,
      )
      .all(signingId) as ActRow[];
  }

  /** Who may act: the party's page with the token, or a signed-in officer at the desk. */
  private access(caller: Caller, signingId: number, token: string | undefined): Via {
    if (token !== undefined) {
      // An unknown signing looks exactly like a wrong token, after the same work: the page
      // learns nothing about which signings exist.
      const row = this.deps.db.prepare('SELECT token FROM signings WHERE id = ?').get(signingId) as
        { token: string } | undefined;
      const matches = sameSecret(row?.token ?? UNKNOWN_SIGNING_TOKEN, token);
      if (!row || !matches)
        throw new AppError('FORBIDDEN', 'this signing page is not valid (wrong token)');
      return 'tablet';
    }
    this.row(signingId);
    requireRole(caller, CASE_WRITERS, 'signing at the desk');
    return 'desk';
  }

  private partyOnly(via: Via): void {
    if (via !== 'tablet') {
      throw new AppError('FORBIDDEN', 'only the party, on the signing page, reviews and signs');
    }
  }

  private headerSources(session: SessionDto): HeaderSources {
    const c = this.services.cases.get(session.caseId);
    const partyRef = session.participants.find((p) => p.role === 'party');
    if (!partyRef) {
      throw new AppError('RULE_VIOLATION', 'the session names no party to review and sign');
    }
    const party =
      partyRef.partyId !== null ? (c.parties.find((p) => p.id === partyRef.partyId) ?? null) : null;
    const sequence = c.sessions.filter((s) => s.kind === session.kind && s.id <= session.id).length;
    return {
      session,
      caseNo: c.caseNo,
      cause: c.cause,
      officers: session.officers.map((o) => ({
        ...o,
        unit: this.services.officers.get(o.officerId).unit,
      })),
      party,
      partyName: partyRef.name,
      sequence,
    };
  }

  /** The transcript state's turns now, as printed, and the sequence they were read at. */
  private currentTurns(sessionId: number) {
    const { seq, state } = this.services.transcripts.get(sessionId);
    const turns = reviewedTurns(state.turns);
    return { seq, turns, hash: turnsHash(turns) };
  }

  private facts(row: SigningRow, version: VersionRow, acts: ActRow[]): SigningFacts {
    const transcript = JSON.parse(version.transcript) as Transcript;
    const session = this.services.sessions.get(row.session_id);
    const stale =
      row.state === 'open' && this.currentTurns(row.session_id).hash !== version.turns_hash;
    return {
      version: version.version,
      pageCount: version.page_count,
      correctionIds: transcript.corrections.map((c) => c.id),
      officerIds: session.officers.map((o) => o.officerId),
      acts: acts.map((a): ActFact => ({
        kind: a.kind,
        version: a.version,
        page: a.page,
        correctionId: a.correction_id,
        officerId: a.officer_id,
      })),
      stale,
    };
  }

  private mode(row: SigningRow): { kind: 'signed' } | { kind: 'refused'; reason: string } {
    const refusal = this.deps.db
      .prepare("SELECT data FROM signing_acts WHERE signing_id = ? AND kind = 'refusal'")
      .get(row.id) as { data: string } | undefined;
    return refusal
      ? { kind: 'refused', reason: (JSON.parse(refusal.data) as { reason: string }).reason }
      : { kind: 'signed' };
  }

  /** What the desk and the tablet show about a signing. */
  status(caller: Caller, signingId: number, token?: string): SigningStatusDto {
    this.access(caller, signingId, token);
    return this.describe(signingId);
  }

  private describe(signingId: number): SigningStatusDto {
    const row = this.row(signingId);
    const version = this.latestVersion(signingId);
    const acts = this.acts(signingId);
    const facts = this.facts(row, version, acts);
    const p = progressOf(facts);
    const transcript = JSON.parse(version.transcript) as Transcript;
    const mode = this.mode(row);
    const layout = paginateTranscript({ transcript, signatures: mode }, this.renderResources());
    const pages = pagesOf(layout);
    const session = this.services.sessions.get(row.session_id);
    const c = this.services.cases.get(session.caseId);
    const refusalAct = acts.find((a) => a.kind === 'refusal');
    const form = this.templates().kinds[transcript.kind];
    return {
      signingId: row.id,
      sessionId: row.session_id,
      caseId: session.caseId,
      caseNo: c.caseNo,
      title: form.title,
      partyName: transcript.header.party.name,
      state: row.state,
      version: version.version,
      stale: facts.stale,
      // A refusal lays the record out again (a note instead of signature lines).
      pageCount: layout.pageCount,
      contentHash: version.content_hash,
      pageSize: { width: layout.width, height: layout.height },
      pages,
      closingText: row.closing_text,
      corrections: correctionsOf(transcript, pages, new Set(p.confirmed)),
      viewed: p.viewed,
      signedPages: p.signedPages,
      seamSigned: p.seamSigned,
      closingSigned: p.closingSigned,
      officers: session.officers.map((o) => ({
        officerId: o.officerId,
        name: o.name,
        certificateNo: o.certificateNo,
        role: o.role,
        signed: p.officersSigned.includes(o.officerId),
      })),
      officersNeeded: OFFICERS_NEEDED,
      armed: this.armedOf(signingId, session, version.version),
      refusal: refusalAct
        ? {
            reason: (JSON.parse(refusalAct.data) as { reason: string }).reason,
            at: refusalAct.at,
            atMs: refusalAct.at_ms,
          }
        : null,
      step: p.step,
      missing: p.missing,
      finished:
        row.state === 'finished'
          ? {
              path: row.pdf_path!,
              sha256: row.pdf_sha256!,
              finishedAt: row.finished_at!,
              pageCount: row.page_count!,
            }
          : null,
    };
  }

  /**
   * What a LAN tablet is paired to: a signing still open to the party's page (open, or
   * refused while the officers sign), with its token. Case writers only.
   */
  lanTarget(
    caller: Caller,
    signingId: number,
    opts: { finished?: boolean } = {},
  ): { signingId: number; sessionId: number; caseId: number; token: string } {
    requireRole(caller, CASE_WRITERS, 'pairing a signing tablet');
    const row = this.row(signingId);
    if (row.state === 'finished' && !opts.finished) {
      throw new AppError('CONFLICT', 'the record is already signed and finished');
    }
    const session = this.services.sessions.get(row.session_id);
    return { signingId, sessionId: row.session_id, caseId: session.caseId, token: row.token };
  }

  /** Arms the tablet; when it runs out unused, the pages are told (they show it gone). */
  private setArming(
    row: SigningRow,
    arming: { officerId: number; userId: number; version: number; until: number },
  ): void {
    this.clearArming(row.id);
    const timer = setTimeout(
      () => {
        if (this.armings.get(row.id) !== stored) return;
        this.armings.delete(row.id);
        this.emit(row, arming.version);
      },
      Math.max(0, arming.until - this.deps.now()) + 50,
    );
    timer.unref?.();
    const stored = { ...arming, timer };
    this.armings.set(row.id, stored);
  }

  private clearArming(signingId: number): void {
    const a = this.armings.get(signingId);
    if (a) clearTimeout(a.timer);
    this.armings.delete(signingId);
  }

  /** The tablet's arming, while it holds: made for this version, not run out. */
  private liveArming(signingId: number, version: number) {
    const a = this.armings.get(signingId);
    return a && a.version === version && a.until > this.deps.now() ? a : null;
  }

  /** The tablet's arming for an officer, as the pages are told of it. */
  private armedOf(
    signingId: number,
    session: SessionDto,
    version: number,
  ): SigningStatusDto['armed'] {
    const a = this.liveArming(signingId, version);
    if (!a) return null;
    const o = session.officers.find((x) => x.officerId === a.officerId);
    return o ? { officerId: a.officerId, name: o.name, until: a.until } : null;
  }

  /** The latest signing of a session (with the party page's token while it is open), or null. */
  ofSession(caller: Caller, sessionId: number): SigningOpenedDto | SigningStatusDto | null {
    requireRole(caller, CASE_WRITERS, 'signing');
    this.services.sessions.get(sessionId);
    const row = this.deps.db
      .prepare('SELECT * FROM signings WHERE session_id = ? ORDER BY id DESC LIMIT 1')
      .get(sessionId) as SigningRow | undefined;
    if (!row) return null;
    const status = this.describe(row.id);
    return row.state === 'finished' ? status : { ...status, token: row.token };
  }

  // -------------------------------------------------------------------------------------
  // Rendering

  private renderResources(): { resourcesDir: string } {
    return { resourcesDir: this.resources() };
  }

  private async render(
    doc: TranscriptDocument,
    how: { blank: true } | { blank: false; now: Date },
  ): Promise<RenderedTranscript> {
    try {
      return await renderTranscriptPdf(doc, {
        ...this.renderResources(),
        producer: this.opts.producer ?? 'Attest',
        ...(how.blank
          ? { signer: null, blank: true }
          : { signer: (await this.workstation()).signer, now: how.now }),
      });
    } catch (e) {
      if (e instanceof PdfInputError) {
        throw new AppError(
          'RULE_VIOLATION',
          `the record cannot be printed: ${e.problems.join('; ')}`,
        );
      }
      throw e;
    }
  }

  private workstation(): Promise<WorkstationIdentity> {
    this.identity ??= loadOrCreateIdentity(
      this.opts.identityDir ?? join(this.dataDir, 'identity'),
    ).catch((e: unknown) => {
      this.identity = null;
      throw e;
    });
    return this.identity;
  }

  /** The pages exactly as they will print, every signature slot still empty. */
  private async renderPreview(
    transcript: Transcript,
    mode: { kind: 'signed' } | { kind: 'refused'; reason: string },
    closingText: string,
  ): Promise<Buffer> {
    const none: Handwriting = {
      canvas: { width: 1, height: 1 },
      strokes: [],
      signedAt: '',
      atMs: 0,
    };
    const signatures: Signatures =
      mode.kind === 'refused'
        ? { schema: SIGNATURES_SCHEMA, kind: 'refused', reason: mode.reason, atMs: 0, officers: [] }
        : {
            schema: SIGNATURES_SCHEMA,
            kind: 'signed',
            pages: [],
            corrections: {},
            closing: { text: closingText, handwriting: none },
            officers: [],
          };
    return (await this.render({ transcript, signatures }, { blank: true })).pdf;
  }

  /** The unsigned preview of the current version, rendered once and kept. */
  private async previewPdf(
    signingId: number,
  ): Promise<{ pdf: Buffer; version: number; mode: 'signed' | 'refused' }> {
    const row = this.row(signingId);
    const version = this.latestVersion(signingId);
    const mode = this.mode(row);
    const key = `${version.version}:${mode.kind}`;
    const cached = this.previews.get(signingId);
    if (cached?.key === key) return { pdf: cached.pdf, version: version.version, mode: mode.kind };
    const transcript = JSON.parse(version.transcript) as Transcript;
    const pdf = await this.renderPreview(transcript, mode, row.closing_text);
    this.previews.set(signingId, { key, pdf });
    return { pdf, version: version.version, mode: mode.kind };
  }

  /** A piece of the unsigned preview PDF (pages exactly as they will print, slots empty). */
  async preview(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    offset = 0,
  ): Promise<PreviewChunkDto> {
    const via = this.access(caller, signingId, token);
    // Once the record is finished, the signing page no longer shows it: the token is
    // in a URL that may linger on the tablet.
    if (via === 'tablet' && this.row(signingId).state === 'finished') {
      throw new AppError('FORBIDDEN', 'this signing is closed');
    }
    const { pdf, version, mode } = await this.previewPdf(signingId);
    if (offset > pdf.length) throw new AppError('INVALID_INPUT', 'offset beyond the end');
    const piece = pdf.subarray(offset, offset + PREVIEW_CHUNK_BYTES);
    return { version, mode, offset, total: pdf.length, base64: piece.toString('base64') };
  }

  // -------------------------------------------------------------------------------------
  // Changing

  private async locked<T>(signingId: number, fn: () => Promise<T> | T): Promise<T> {
    const before = this.locks.get(signingId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(signingId, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(signingId) === tail) this.locks.delete(signingId);
    }
  }

  private sessionTime(session: SessionDto, at: number): number {
    return Math.max(0, at - (session.startedAt ?? at));
  }

  /** Mirrors a signing act onto the session timeline. */
  private timeline(
    session: SessionDto,
    kind: SigningTimelineKind,
    at: number,
    userId: number | null,
    data: Record<string, unknown>,
  ): void {
    appendSessionEvent(this.deps.db, {
      sessionId: session.id,
      startedAt: session.startedAt,
      at,
      kind,
      userId,
      data,
    });
  }

  private audit(
    caller: Caller,
    session: SessionDto,
    action: string,
    signingId: number,
    data: unknown,
  ): void {
    this.deps.audit.append({
      at: this.deps.now(),
      actorUserId: caller.user?.id ?? null,
      actor: caller.user?.displayName ?? null,
      action,
      entity: 'signing',
      entityId: signingId,
      caseId: session.caseId,
      data,
    });
  }

  private emit(row: SigningRow, version: number): void {
    this.deps.emit('signing.changed', {
      signingId: row.id,
      sessionId: row.session_id,
      version,
    });
  }

  /** Handwriting from the tablet, its times moved onto the session clock. */
  private handwriting(input: HandwritingInput, session: SessionDto, at: number): Handwriting {
    const start = session.startedAt ?? at;
    // The tablet's clock may differ from the core's: measure the offset at this request.
    const offset = at - input.clientNow;
    return {
      canvas: input.canvas,
      strokes: input.strokes.map((s) =>
        s.points.map(([x, y, dt, pressure]) => ({
          x,
          y,
          t: input.t0 + dt + offset - start,
          pressure,
          pointerType: s.pointerType,
        })),
      ),
      signedAt: new Date(at).toISOString(),
      atMs: at - start,
    };
  }

  /**
   * Opens the signing of a session whose recording has ended: freezes the transcript as the
   * party will review it. Opening again while one is open returns that one.
   */
  async open(caller: Caller, sessionId: number, closingText?: string): Promise<SigningOpenedDto> {
    const user = requireRole(caller, CASE_WRITERS, 'opening a signing');
    const session = this.services.sessions.get(sessionId);
    if (session.status === 'sealed')
      throw new AppError('CONFLICT', 'the session is sealed; its record is already finished');
    if (session.status !== 'ended' || session.startedAt === null || session.endedAt === null) {
      throw new AppError(
        'CONFLICT',
        'the transcript is signed after the recording has ended (its end time is the recording’s, R2.4)',
      );
    }
    const { db } = this.deps;
    const existing = db
      .prepare('SELECT * FROM signings WHERE session_id = ? ORDER BY id DESC LIMIT 1')
      .get(sessionId) as SigningRow | undefined;
    if (existing?.state === 'finished')
      throw new AppError('CONFLICT', 'this session’s record is already signed');
    if (existing) return { ...this.describe(existing.id), token: existing.token };

    const sources = this.headerSources(session);
    const current = this.currentTurns(sessionId);
    if (current.turns.length === 0)
      throw new AppError('CONFLICT', 'the transcript is empty; there is nothing to sign');
    const documentId = randomUUID();
    const transcript = buildTranscript(sources, documentId, current.turns, []);
    const mode = { kind: 'signed' as const };
    const layout = paginateTranscript({ transcript, signatures: mode }, this.renderResources());
    // Rendering the preview now also checks the text can be printed (every glyph).
    const text = closingText ?? this.templates().closingText ?? DEFAULT_CLOSING_STATEMENT;
    const pdf = await this.renderPreview(transcript, mode, text);
    const at = this.deps.now();
    const token = randomBytes(32).toString('base64url');
    const id = db.transaction(() => {
      const again = db
        .prepare("SELECT 1 FROM signings WHERE session_id = ? AND state <> 'finished'")
        .get(sessionId);
      if (again) throw new AppError('CONFLICT', 'a signing of this session was just opened');
      const signingId = Number(
        db
          .prepare(
            `INSERT INTO signings (session_id, document_id, token, closing_text, opened_by, opened_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(sessionId, documentId, token, text, user.id, at).lastInsertRowid,
      );
      db.prepare(
        `INSERT INTO signing_versions (signing_id, version, transcript_seq, turns_hash, content_hash,
           page_count, transcript, frozen_at, frozen_by) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        signingId,
        current.seq,
        current.hash,
        layout.contentHash,
        layout.pageCount,
        canonicalJson(transcript),
        at,
        user.id,
      );
      const data = {
        signingId,
        version: 1,
        pageCount: layout.pageCount,
        contentHash: layout.contentHash,
        transcriptSeq: current.seq,
      };
      this.timeline(session, 'signing.opened', at, user.id, data);
      this.audit(caller, session, 'signing.opened', signingId, data);
      return signingId;
    })();
    this.previews.set(id, { key: `1:signed`, pdf });
    const row = this.row(id);
    this.emit(row, 1);
    return { ...this.describe(id), token };
  }

  /**
   * Takes in changes made after the review: freezes the transcript again, with every change
   * since version 1 as a correction the party confirms at the change.
   */
  refresh(caller: Caller, signingId: number): Promise<SigningStatusDto> {
    return this.locked(signingId, async () => {
      const user = requireRole(caller, CASE_WRITERS, 'refreshing a signing');
      const row = this.row(signingId);
      // A new text, a new signing by the officers: an arming made for the old one goes.
      this.clearArming(signingId);
      const latest = this.latestVersion(signingId);
      const facts = this.facts(row, latest, this.acts(signingId));
      assertMay(facts, { kind: 'refresh' });
      const current = this.currentTurns(row.session_id);
      if (current.hash === latest.turns_hash) return this.describe(signingId);
      if (latest.version >= VERSIONS_PER_SIGNING)
        throw new AppError('CONFLICT', 'too many versions; open a new signing');
      const session = this.services.sessions.get(row.session_id);
      const at = this.deps.now();
      const reviewed = JSON.parse(this.firstVersion(signingId).transcript) as Transcript;
      let changed;
      try {
        changed = correctedTurns(reviewed.turns, current.turns, this.sessionTime(session, at));
      } catch (e) {
        if (e instanceof CorrectionError) throw new AppError('CONFLICT', e.message);
        throw e;
      }
      const transcript: Transcript = {
        ...reviewed,
        turns: changed.turns,
        corrections: changed.corrections,
      };
      const mode = { kind: 'signed' as const };
      const layout = paginateTranscript({ transcript, signatures: mode }, this.renderResources());
      const pdf = await this.renderPreview(transcript, mode, row.closing_text);
      const version = latest.version + 1;
      this.deps.db.transaction(() => {
        this.deps.db
          .prepare(
            `INSERT INTO signing_versions (signing_id, version, transcript_seq, turns_hash, content_hash,
               page_count, transcript, frozen_at, frozen_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            signingId,
            version,
            current.seq,
            current.hash,
            layout.contentHash,
            layout.pageCount,
            canonicalJson(transcript),
            at,
            user.id,
          );
        const data = {
          signingId,
          version,
          pageCount: layout.pageCount,
          contentHash: layout.contentHash,
          transcriptSeq: current.seq,
          corrections: transcript.corrections.map((c) => ({
            id: c.id,
            turnId: c.turnId,
            originalText: c.originalText,
            newText: c.newText,
          })),
        };
        this.timeline(session, 'signing.refreshed', at, user.id, data);
        this.audit(caller, session, 'signing.refreshed', signingId, data);
      })();
      this.previews.set(signingId, { key: `${version}:signed`, pdf });
      this.emit(row, version);
      return this.describe(signingId);
    });
  }

  /** Records one act after checking the rules; returns the new status. */
  private act(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    request: ActRequest & { kind: Exclude<ActKind, 'refusal' | 'finish'> },
    handwriting: HandwritingInput | null,
    data: Record<string, unknown> = {},
    officerConfirmation?: OfficerConfirmation,
  ): Promise<SigningStatusDto> {
    return this.locked(signingId, async () => {
      const via = this.access(caller, signingId, token);
      if (request.kind !== 'officer') this.partyOnly(via);
      let row = this.row(signingId);
      // An officer signs only in person (R2.2): on the tablet when the desk armed it for
      // them, at the desk as the signed-in officer or with their own password.
      let signer: { userId: number; presence: string; record: () => void } | null = null;
      if (request.kind === 'officer') {
        // The rules first (cheap, and no password is asked for an act that could not be
        // done); they are checked again below, after the password's wait.
        const before = this.latestVersion(signingId);
        assertMay(this.facts(row, before, this.acts(signingId)), request, version);
        if (via === 'tablet') {
          const armed = this.liveArming(signingId, before.version);
          if (!armed || armed.officerId !== request.officerId) {
            throw new AppError(
              'FORBIDDEN',
              'an officer signs on the signing page only after arming it at the desk (在平板上签名)',
            );
          }
          // The account that armed it is still that officer's, and still in use.
          const armedBy = this.services.users.get(armed.userId);
          if (armedBy.disabled || armedBy.officerId !== armed.officerId) {
            this.clearArming(signingId);
            throw new AppError(
              'FORBIDDEN',
              'the account that armed the signing page is not in use',
            );
          }
          signer = { userId: armed.userId, presence: 'armed', record: () => undefined };
        } else {
          const session = this.services.sessions.get(row.session_id);
          signer = await this.services.users.confirmOfficer(
            caller,
            request.officerId,
            officerConfirmation,
            { action: 'signing.officer_signed', caseId: session.caseId, since: session.startedAt },
          );
        }
        row = this.row(signingId);
      }
      const latest = this.latestVersion(signingId);
      assertMay(this.facts(row, latest, this.acts(signingId)), request, version);
      const session = this.services.sessions.get(row.session_id);
      const at = this.deps.now();
      const atMs = this.sessionTime(session, at);
      const hw = handwriting ? this.handwriting(handwriting, session, at) : null;
      const page = 'page' in request ? request.page : null;
      const correctionId = 'correctionId' in request ? request.correctionId : null;
      const officerId = 'officerId' in request ? request.officerId : null;
      // The officer who signed (not whoever is signed in at the desk), or the desk's user.
      const userId = signer?.userId ?? (via === 'desk' ? (caller.user?.id ?? null) : null);
      const actData = signer
        ? { ...data, presence: signer.presence, deskUserId: caller.user?.id ?? null }
        : data;
      const { db } = this.deps;
      db.transaction(() => {
        signer?.record();
        const id = Number(
          db
            .prepare(
              `INSERT INTO signing_acts (signing_id, version, kind, page, correction_id, officer_id,
                 handwriting, data, via, user_id, at, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              signingId,
              latest.version,
              request.kind,
              page,
              correctionId,
              officerId,
              hw ? JSON.stringify(hw) : null,
              JSON.stringify(actData),
              via,
              userId,
              at,
              atMs,
            ).lastInsertRowid,
        );
        const kinds: Record<typeof request.kind, SigningTimelineKind> = {
          view: 'signing.page_viewed',
          initials: 'signing.correction_confirmed',
          page: 'signing.page_signed',
          seam: 'signing.seam_signed',
          closing: 'signing.closing_signed',
          officer: 'signing.officer_signed',
        };
        const points = hw ? hw.strokes.reduce((n, s) => n + s.length, 0) : undefined;
        this.timeline(session, kinds[request.kind], at, userId, {
          signingId,
          actId: id,
          version: latest.version,
          via,
          ...(page !== null ? { page } : {}),
          ...(correctionId !== null ? { correctionId } : {}),
          ...(officerId !== null ? { officerId } : {}),
          ...(points !== undefined ? { points } : {}),
          ...actData,
        });
      })();
      // The arming is used up only by a signature that was written.
      if (signer?.presence === 'armed') this.clearArming(signingId);
      this.emit(row, latest.version);
      return this.describe(signingId);
    });
  }

  viewPage(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    page: number,
  ) {
    return this.act(caller, signingId, token, version, { kind: 'view', page }, null);
  }

  confirmCorrection(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    correctionId: string,
    handwriting: HandwritingInput,
  ) {
    return this.act(
      caller,
      signingId,
      token,
      version,
      { kind: 'initials', correctionId },
      handwriting,
    );
  }

  signPage(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    page: number,
    handwriting: HandwritingInput,
  ) {
    return this.act(caller, signingId, token, version, { kind: 'page', page }, handwriting);
  }

  seam(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    handwriting: HandwritingInput,
  ) {
    return this.act(caller, signingId, token, version, { kind: 'seam' }, handwriting);
  }

  closingStatement(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    text: string | undefined,
    handwriting: HandwritingInput,
  ) {
    const expected = this.row(signingId).closing_text;
    if (text !== undefined && text !== expected) {
      throw new AppError('RULE_VIOLATION', `the closing statement to write is “${expected}”`);
    }
    return this.act(caller, signingId, token, version, { kind: 'closing' }, handwriting, {
      text: expected,
    });
  }

  officer(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    officerId: number,
    handwriting: HandwritingInput,
    confirmation?: OfficerConfirmation,
  ) {
    return this.act(
      caller,
      signingId,
      token,
      version,
      { kind: 'officer', officerId },
      handwriting,
      {},
      confirmation,
    );
  }

  /**
   * Arms the tablet for one officer's signature (R2.2, in person): the officer at the desk,
   * signed in or confirming with their own password, lets the signing page take their
   * signature once within {@link OFFICER_ARMING_MS}. Arming another officer replaces it.
   */
  armOfficer(
    caller: Caller,
    signingId: number,
    officerId: number,
    confirmation: OfficerConfirmation | undefined,
  ): Promise<SigningStatusDto> {
    return this.locked(signingId, async () => {
      requireRole(caller, CASE_WRITERS, 'arming the signing page for an officer');
      let row = this.row(signingId);
      const officerAct = { kind: 'officer', officerId } as const;
      assertMay(this.facts(row, this.latestVersion(signingId), this.acts(signingId)), officerAct);
      const session = this.services.sessions.get(row.session_id);
      const who = await this.services.users.confirmOfficer(caller, officerId, confirmation, {
        action: 'signing.officer_armed',
        caseId: session.caseId,
        since: session.startedAt,
      });
      row = this.row(signingId);
      const latest = this.latestVersion(signingId);
      // The officer could sign now (party done or refused, of the session, not yet signed),
      // checked again after the password's wait.
      assertMay(this.facts(row, latest, this.acts(signingId)), officerAct);
      const at = this.deps.now();
      const until = at + OFFICER_ARMING_MS;
      this.setArming(row, { officerId, userId: who.userId, version: latest.version, until });
      const data = {
        signingId,
        version: latest.version,
        officerId,
        until,
        presence: who.presence,
        armedBy: who.userId,
      };
      this.deps.db.transaction(() => {
        who.record();
        this.timeline(session, 'signing.officer_armed', at, who.userId, data);
        this.audit(caller, session, 'signing.officer_armed', signingId, data);
      })();
      this.emit(row, latest.version);
      return this.describe(signingId);
    });
  }

  /** Withdraws the tablet's arming (the officer stepped away, or the wrong one was armed). */
  disarmOfficer(caller: Caller, signingId: number): Promise<SigningStatusDto> {
    return this.locked(signingId, () => {
      const user = requireRole(caller, CASE_WRITERS, 'disarming the signing page');
      const row = this.row(signingId);
      const armed = this.armings.get(signingId);
      this.clearArming(signingId);
      if (armed && armed.until > this.deps.now()) {
        const session = this.services.sessions.get(row.session_id);
        const data = { signingId, officerId: armed.officerId };
        this.deps.db.transaction(() => {
          this.timeline(session, 'signing.officer_disarmed', this.deps.now(), user.id, data);
          this.audit(caller, session, 'signing.officer_disarmed', signingId, data);
        })();
        this.emit(row, this.latestVersion(signingId).version);
      }
      return this.describe(signingId);
    });
  }

  /**
   * The party refuses to sign (R2.2): the refusal and its reason go on the record, a
   * `refusal` marker on the transcript's timeline at the current session time, and two or
   * more officers sign.
   */
  refuse(caller: Caller, signingId: number, reason: string): Promise<SigningStatusDto> {
    return this.locked(signingId, () => {
      const user = requireRole(caller, CASE_WRITERS, 'recording a refusal');
      const row = this.row(signingId);
      this.clearArming(signingId);
      const latest = this.latestVersion(signingId);
      assertMay(this.facts(row, latest, this.acts(signingId)), { kind: 'refusal' });
      const session = this.services.sessions.get(row.session_id);
      const at = this.deps.now();
      const atMs = this.sessionTime(session, at);
      const { db } = this.deps;
      db.transaction(() => {
        const id = Number(
          db
            .prepare(
              `INSERT INTO signing_acts (signing_id, version, kind, data, via, user_id, at, at_ms)
               VALUES (?, ?, 'refusal', ?, 'desk', ?, ?, ?)`,
            )
            .run(signingId, latest.version, JSON.stringify({ reason }), user.id, at, atMs)
            .lastInsertRowid,
        );
        db.prepare("UPDATE signings SET state = 'refused' WHERE id = ?").run(signingId);
        // The refusal marker on the transcript's timeline, in the same transaction.
        const { seq } = this.services.transcripts.get(row.session_id);
        this.services.transcripts.apply(caller, row.session_id, seq, [
          {
            type: 'marker.add',
            id: `refusal-${signingId}-${id}`,
            kind: 'refusal',
            at: Math.min(atMs, 7 * 24 * 3600 * 1000),
            note: reason,
          },
        ]);
        const data = { signingId, actId: id, version: latest.version, reason };
        this.timeline(session, 'signing.refused', at, user.id, data);
        this.audit(caller, session, 'signing.refused', signingId, data);
      })();
      this.emit(row, latest.version);
      return this.describe(signingId);
    });
  }

  /** The newest act of each kind (and page, correction, officer) in the current version. */
  private signaturesOf(
    row: SigningRow,
    version: VersionRow,
    transcript: Transcript,
    session: SessionDto,
  ): Signatures {
    const acts = this.acts(row.id).filter((a) => a.version === version.version);
    const hw = (a: ActRow): Handwriting => JSON.parse(a.handwriting!) as Handwriting;
    const newest = new Map<string, ActRow>();
    for (const a of acts) {
      const key = `${a.kind}:${a.page ?? ''}:${a.correction_id ?? ''}:${a.officer_id ?? ''}`;
      newest.set(key, a);
    }
    const latest = [...newest.values()].sort((a, b) => a.id - b.id);
    const form = this.templates().kinds[transcript.kind];
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
    const mode = this.mode(row);
    if (mode.kind === 'refused') {
      const refusal = acts.find((a) => a.kind === 'refusal')!;
      return {
        schema: SIGNATURES_SCHEMA,
        kind: 'refused',
        reason: mode.reason,
        atMs: refusal.at_ms,
        officers,
      };
    }
    const closing = latest.find((a) => a.kind === 'closing')!;
    const seam = latest.find((a) => a.kind === 'seam');
    return {
      schema: SIGNATURES_SCHEMA,
      kind: 'signed',
      pages: latest
        .filter((a) => a.kind === 'page')
        .sort((a, b) => a.page! - b.page!)
        .map((a) => ({ page: a.page!, signature: hw(a) })),
      ...(seam ? { seam: hw(seam) } : {}),
      corrections: Object.fromEntries(
        latest.filter((a) => a.kind === 'initials').map((a) => [a.correction_id!, hw(a)]),
      ),
      closing: {
        text: (JSON.parse(closing.data) as { text: string }).text,
        handwriting: hw(closing),
      },
      officers,
    };
  }

  /**
   * Renders the signed record with the workstation identity (PAdES) and writes it, with
   * its transcript and stroke data, into the session's folder; records its SHA-256.
   */
  finish(caller: Caller, signingId: number): Promise<SigningFinishedDto> {
    return this.locked(signingId, async () => {
      const user = requireRole(caller, CASE_WRITERS, 'finishing a signing');
      const row = this.row(signingId);
      this.clearArming(signingId);
      const version = this.latestVersion(signingId);
      assertMay(this.facts(row, version, this.acts(signingId)), { kind: 'finish' });
      const session = this.services.sessions.get(row.session_id);
      const transcript = JSON.parse(version.transcript) as Transcript;
      const signatures = this.signaturesOf(row, version, transcript, session);
      const at = this.deps.now();
      const rendered = await this.render(
        { transcript, signatures },
        { blank: false, now: new Date(at) },
      );

      const rel = `sessions/${session.id}`;
      const dir = join(this.dataDir, 'sessions', String(session.id));
      mkdirSync(dir, { recursive: true });
      const transcriptJson = Buffer.from(canonicalJson(transcript), 'utf8');
      const signaturesJson = Buffer.from(canonicalJson(signatures), 'utf8');
      // Their hashes go on the record, so the seal can tell if either was touched afterwards.
      const files = {
        'transcript.json': createHash('sha256').update(transcriptJson).digest('hex'),
        'signatures.json': createHash('sha256').update(signaturesJson).digest('hex'),
      };
      writeFileAtomicSync(join(dir, 'transcript.json'), transcriptJson);
      writeFileAtomicSync(join(dir, 'signatures.json'), signaturesJson);
      writeFileAtomicSync(join(dir, 'transcript.pdf'), rendered.pdf);
      fsyncDirectorySync(dir);

      const path = `${rel}/transcript.pdf`;
      const atMs = this.sessionTime(session, at);
      const { db } = this.deps;
      db.transaction(() => {
        db.prepare(
          `INSERT INTO signing_acts (signing_id, version, kind, data, via, user_id, at, at_ms)
           VALUES (?, ?, 'finish', ?, 'desk', ?, ?, ?)`,
        ).run(
          signingId,
          version.version,
          JSON.stringify({ path, sha256: rendered.sha256, files }),
          user.id,
          at,
          atMs,
        );
        db.prepare(
          `UPDATE signings SET state = 'finished', finished_at = ?, pdf_path = ?, pdf_sha256 = ?,
             content_hash = ?, page_count = ? WHERE id = ?`,
        ).run(at, path, rendered.sha256, rendered.contentHash, rendered.pageCount, signingId);
        const data = {
          signingId,
          version: version.version,
          path,
          sha256: rendered.sha256,
          contentHash: rendered.contentHash,
          pageCount: rendered.pageCount,
          bytes: rendered.pdf.length,
          party: signatures.kind,
          files,
        };
        this.timeline(session, 'signing.finished', at, user.id, data);
        this.audit(caller, session, 'signing.finished', signingId, data);
      })();
      this.previews.delete(signingId);
      this.emit(row, version.version);
      return {
        signingId,
        sessionId: session.id,
        path,
        sha256: rendered.sha256,
        contentHash: rendered.contentHash,
        pageCount: rendered.pageCount,
        bytes: rendered.pdf.length,
        finishedAt: at,
      };
    });
  }
}
