/**
 * Opening a signing and taking in later changes: the transcript is frozen as the party will
 * review it (version 1) and laid out exactly as it will print; changes the clerk makes
 * afterwards at the party's request become a new version whose differences from the reviewed
 * text are corrections, each confirmed by the party's initials at the change.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CASE_WRITERS } from '../../../shared/api/index';
import {
  DEFAULT_CLOSING_STATEMENT,
  type SigningOpenedDto,
  type SigningStatusDto,
} from '../../../shared/api/signing';
import type { SessionDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { canonicalJson } from '../../platform/pdf/canonical';
import type { Transcript } from '../../platform/pdf/model';
import { requireRole, type Caller } from '../context';
import type { SigningContext } from './context';
import { buildTranscript, correctedTurns, CorrectionError, type HeaderSources } from './document';
import { assertMay } from './machine';
import type { SigningPreviews } from './previews';
import { sessionTime, VERSIONS_PER_SIGNING } from './rules';
import type { SigningReader } from './status';
import {
  firstVersion,
  hasUnfinishedSigning,
  insertSigning,
  insertVersion,
  issueSigningToken,
  latestSigningOfSession,
  type SigningSurface,
} from './store';

export class SigningOpening {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
    private readonly previews: SigningPreviews,
  ) {}

  /** The record's header: the case, the session, its officers (with units) and the party. */
  private headerSources(session: SessionDto): HeaderSources {
    const { cases, officers } = this.ctx.ports;
    const c = cases.get(session.caseId);
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
      officers: session.officers.map((o) => ({ ...o, unit: officers.get(o.officerId).unit })),
      party,
      partyName: partyRef.name,
      sequence,
      timeZone: this.ctx.deps.timeZone(),
    };
  }

  /**
   * Opens the signing of a session whose recording has ended: freezes the transcript as the
   * party will review it. Opening again while one is open returns that one.
   */
  async open(caller: Caller, sessionId: number, closingText?: string): Promise<SigningOpenedDto> {
    const user = requireRole(caller, CASE_WRITERS, 'opening a signing');
    const session = this.ctx.ports.sessions.get(sessionId);
    if (session.status === 'sealed')
      throw new AppError('CONFLICT', 'the session is sealed; its record is already finished');
    if (session.status !== 'ended' || session.startedAt === null || session.endedAt === null) {
      throw new AppError(
        'CONFLICT',
        'the transcript is signed after the recording has ended (its end time is the recording’s, R2.4)',
      );
    }
    const { db } = this.ctx.deps;
    const existing = latestSigningOfSession(db, sessionId);
    if (existing?.state === 'finished')
      throw new AppError('CONFLICT', 'this session’s record is already signed');
    // Opening again gives the desk a fresh page: the token of the one before is not kept.
    if (existing)
      return {
        ...this.reader.describe(existing.id),
        ...this.issueSurface(caller, existing.id, 'page'),
      };

    const sources = this.headerSources(session);
    const current = this.reader.currentTurns(sessionId);
    if (current.turns.length === 0)
      throw new AppError('CONFLICT', 'the transcript is empty; there is nothing to sign');
    const documentId = randomUUID();
    const transcript = buildTranscript(sources, documentId, current.turns, []);
    const mode = { kind: 'signed' as const };
    const layout = this.ctx.printer.layout(transcript, mode);
    // Rendering the preview now also checks the text can be printed (every glyph).
    const text =
      closingText ?? this.ctx.printer.templates().closingText ?? DEFAULT_CLOSING_STATEMENT;
    const pdf = await this.ctx.printer.preview(transcript, mode, text);
    const at = this.ctx.deps.now();
    let token = '';
    const id = db.transaction(() => {
      if (hasUnfinishedSigning(db, sessionId))
        throw new AppError('CONFLICT', 'a signing of this session was just opened');
      const signingId = insertSigning(db, {
        sessionId,
        documentId,
        // Names the signing; the party page's token is kept only as a hash (signing_tokens).
        token: `signing:${randomBytes(24).toString('base64url')}`,
        closingText: text,
        openedBy: user.id,
        openedAt: at,
      });
      insertVersion(db, {
        signingId,
        version: 1,
        transcriptSeq: current.seq,
        turnsHash: current.hash,
        contentHash: layout.contentHash,
        pageCount: layout.pageCount,
        transcript: canonicalJson(transcript),
        frozenAt: at,
        frozenBy: user.id,
      });
      const data = {
        signingId,
        version: 1,
        pageCount: layout.pageCount,
        contentHash: layout.contentHash,
        transcriptSeq: current.seq,
      };
      const page = issueSigningToken(db, signingId, 'page', at, user.id);
      token = page.token;
      this.ctx.timeline(session, 'signing.opened', at, user.id, data);
      this.ctx.audit(caller, session, 'signing.opened', signingId, {
        ...data,
        surface: `page#${page.id}`,
      });
      return signingId;
    })();
    this.previews.keep(id, 1, 'signed', pdf);
    this.ctx.emit(this.reader.row(id), 1);
    return { ...this.reader.describe(id), token };
  }

  /**
   * A new token for a party surface of an open signing (the desk's new page link, a newly
   * paired tablet): the surface's token before it stops working. Case writers only; audited.
   */
  issueSurface(caller: Caller, signingId: number, surface: SigningSurface): { token: string } {
    requireRole(caller, CASE_WRITERS, 'a party signing surface');
    const row = this.reader.row(signingId);
    if (row.state === 'finished')
      throw new AppError('CONFLICT', 'the record is already signed and finished');
    const session = this.ctx.ports.sessions.get(row.session_id);
    const { db } = this.ctx.deps;
    return db.transaction(() => {
      const issued = issueSigningToken(
        db,
        signingId,
        surface,
        this.ctx.deps.now(),
        caller.user!.id,
      );
      this.ctx.audit(caller, session, 'signing.surface_issued', signingId, {
        signingId,
        surface: `${surface}#${issued.id}`,
      });
      return { token: issued.token };
    })();
  }

  /**
   * Takes in changes made after the review: freezes the transcript again, with every change
   * since version 1 as a correction the party confirms at the change.
   */
  refresh(caller: Caller, signingId: number): Promise<SigningStatusDto> {
    return this.ctx.locked(signingId, async () => {
      const user = requireRole(caller, CASE_WRITERS, 'refreshing a signing');
      const row = this.reader.row(signingId);
      // A new text, a new signing by the officers: an arming made for the old one goes.
      this.ctx.armings.clear(signingId);
      const latest = this.reader.latestVersion(signingId);
      assertMay(this.reader.facts(row, latest, this.reader.acts(signingId)), { kind: 'refresh' });
      const current = this.reader.currentTurns(row.session_id);
      if (current.hash === latest.turns_hash) return this.reader.describe(signingId);
      if (latest.version >= VERSIONS_PER_SIGNING)
        throw new AppError('CONFLICT', 'too many versions; open a new signing');
      const session = this.ctx.ports.sessions.get(row.session_id);
      const at = this.ctx.deps.now();
      const { db } = this.ctx.deps;
      const reviewed = JSON.parse(firstVersion(db, signingId).transcript) as Transcript;
      let changed;
      try {
        changed = correctedTurns(reviewed.turns, current.turns, sessionTime(session, at));
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
      const layout = this.ctx.printer.layout(transcript, mode);
      const pdf = await this.ctx.printer.preview(transcript, mode, row.closing_text);
      const version = latest.version + 1;
      db.transaction(() => {
        insertVersion(db, {
          signingId,
          version,
          transcriptSeq: current.seq,
          turnsHash: current.hash,
          contentHash: layout.contentHash,
          pageCount: layout.pageCount,
          transcript: canonicalJson(transcript),
          frozenAt: at,
          frozenBy: user.id,
        });
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
        this.ctx.timeline(session, 'signing.refreshed', at, user.id, data);
        this.ctx.audit(caller, session, 'signing.refreshed', signingId, data);
      })();
      this.previews.keep(signingId, version, 'signed', pdf);
      this.ctx.emit(row, version);
      return this.reader.describe(signingId);
    });
  }
}
