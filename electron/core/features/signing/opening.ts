/**
 * Opening a signing and taking in later changes: the transcript is frozen as the party will
 * review it (version 1) and laid out exactly as it will print; changes the clerk makes
 * afterwards at the party's request become a new version whose differences from the reviewed
 * text are corrections, each confirmed by the party's initials at the change.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  DEFAULT_CLOSING_STATEMENT,
  READ_ALOUD_CLOSING_STATEMENT,
  type SigningOpenedDto,
  type SigningStatusDto,
} from '../../../shared/api/signing';
import type { OfficerConfirmation, OfficerPresence, SessionDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { withResidentIdFacts } from '../../../shared/validators';
import { canonicalJson } from '../../platform/pdf/canonical';
import type { ProcedureStatement, Transcript } from '../../platform/pdf/model';
import {
  missingNotices,
  PROCEDURE_STEP_KINDS,
  type NoticeAnswers,
} from '../../../shared/rules/transcript';
import { ZH_ENUMS } from '../../../shared/names-zh';
import type { Caller } from '../context';
import { remoteParticipationOf } from '../live';
import type { SigningContext } from './context';
import {
  buildTranscript,
  FORM_OF_SESSION,
  correctedTurns,
  CorrectionError,
  intervieweeOf,
  type HeaderSources,
} from './document';
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

/** Two or more of the session's officers, in person, and why the notices are missing. */
export interface NoticeOverride {
  reason: string;
  officerIds: number[];
  confirmations?: (OfficerConfirmation & { officerId: number })[] | undefined;
}

export class SigningOpening {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
    private readonly previews: SigningPreviews,
  ) {}

  /** The officer who reads the record aloud: one of the session's. */
  private readerOf(
    session: SessionDto,
    officerId: number,
  ): { name: string; certificateNo: string } {
    const o = session.officers.find((x) => x.officerId === officerId);
    if (!o)
      throw new AppError(
        'RULE_VIOLATION',
        `officer ${officerId} did not take part in this session; one of its officers reads the record aloud`,
      );
    return { name: o.name, certificateNo: o.certificateNo };
  }

  /** The procedure steps marked on the session's transcript (not its interruptions). */
  private stepsOf(session: SessionDto): { kind: string; at: number; answers?: NoticeAnswers }[] {
    const steps = new Set<string>(PROCEDURE_STEP_KINDS);
    return this.ctx.ports.transcripts
      .get(session.id)
      .state.markers.filter((m) => steps.has(m.kind))
      .map((m) => ({ kind: m.kind, at: m.at, ...(m.answers ? { answers: m.answers } : {}) }));
  }

  /** The record's header: the case, the session, its officers (with units) and the party. */
  private headerSources(session: SessionDto): HeaderSources {
    const { cases, officers } = this.ctx.ports;
    const c = cases.get(session.caseId);
    const partyRef = intervieweeOf(session.participants);
    if (!partyRef) {
      throw new AppError(
        'RULE_VIOLATION',
        'the session names no one questioned (a party, its legal representative, a third party, a witness or an agent) to review and sign',
      );
    }
    // A party's particulars are on its record; another's (a witness questioned) on the session.
    const given = partyRef.particulars ? withResidentIdFacts(partyRef.particulars) : null;
    const party =
      partyRef.partyId !== null
        ? (c.parties.find((p) => p.id === partyRef.partyId) ?? null)
        : given
          ? {
              id: 0,
              caseId: c.id,
              kind: 'person' as const,
              name: given.name,
              idType: given.idType,
              idNumber: given.idNumber,
              address: given.address ?? null,
              contact: given.contact ?? null,
              legalRepresentative: null,
              gender: given.gender ?? null,
              birthDate: given.birthDate ?? null,
              ethnicity: given.ethnicity ?? null,
              employer: given.employer ?? null,
              position: given.position ?? null,
            }
          : null;
    const sequence = c.sessions.filter((s) => s.kind === session.kind && s.id <= session.id).length;
    const form = this.ctx.printer.templates().kinds[FORM_OF_SESSION[session.kind]];
    return {
      session,
      caseNo: c.caseNo,
      cause: c.cause,
      officers: session.officers.map((o) => ({ ...o, unit: officers.get(o.officerId).unit })),
      party,
      partyName: partyRef.name,
      partyRole: partyRef.role,
      sequence,
      timeZone: this.ctx.deps.timeZone(),
      everyoneSigns: form.everyoneSigns === true,
      printsSteps: form.printsSteps === true,
      remote: remoteParticipationOf(this.ctx.deps.db, session.id).map((r) => ({
        name: r.name,
        role: r.role,
        credentials: r.visits.flatMap((v) => (v.identity ? [v.identity.credential] : [])),
      })),
    };
  }

  /**
   * Opens the signing of a session whose recording has ended: freezes the transcript as the
   * party will review it. Opening again while one is open returns that one.
   */
  async open(
    caller: Caller,
    sessionId: number,
    closingText?: string,
    override?: NoticeOverride,
    readAloud?: { readerOfficerId: number },
  ): Promise<SigningOpenedDto> {
    const user = this.reader.deskOfSession(caller, sessionId, 'opening a signing');
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
    const notice = await this.noticeCheck(caller, session, override);
    const documentId = randomUUID();
    const transcript = buildTranscript(
      sources,
      documentId,
      current.turns,
      [],
      notice ? [notice.statement] : [],
      this.stepsOf(session),
      readAloud ? this.readerOf(session, readAloud.readerOfficerId) : undefined,
    );
    const mode = { kind: 'signed' as const };
    const layout = this.ctx.printer.layout(transcript, mode);
    // Rendering the preview now also checks the text can be printed (every glyph).
    const text =
      closingText ??
      (readAloud
        ? READ_ALOUD_CLOSING_STATEMENT
        : (this.ctx.printer.templates().closingText ?? DEFAULT_CLOSING_STATEMENT));
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
      if (notice) {
        for (const who of notice.confirmed) who.record();
        this.ctx.timeline(session, 'signing.notice_overridden', at, user.id, notice.data);
        this.ctx.audit(caller, session, 'signing.notice_overridden', signingId, notice.data);
      }
      return signingId;
    })();
    this.previews.keep(id, 1, 'signed', pdf);
    this.ctx.emit(this.reader.row(id), 1);
    return { ...this.reader.describe(id), token };
  }

  /**
   * The notices the record must show before it is signed (R3.4, R2.5): the recording notice
   * and the rights notice of the session's order. Missing ones refuse the opening unless two
   * or more of the session's officers, in person, state why; their statement is printed at
   * the head of the record. Returns that statement, or null when nothing is missing.
   */
  private async noticeCheck(
    caller: Caller,
    session: SessionDto,
    override: NoticeOverride | undefined,
  ): Promise<{
    statement: ProcedureStatement;
    data: Record<string, unknown>;
    confirmed: { record: () => void }[];
  } | null> {
    const state = this.ctx.ports.transcripts.get(session.id).state;
    const missing = missingNotices(session.kind, state);
    const names = missing.map((m) => ZH_ENUMS.markerKind[m]).join('、');
    if (missing.length === 0) {
      if (override) {
        throw new AppError('CONFLICT', '笔录已记录录音录像告知和权利义务告知，无须说明');
      }
      return null;
    }
    if (!override) {
      throw new AppError(
        'RULE_VIOLATION',
        `笔录中没有「${names}」的记录，不能开始签名：请补记；确未告知的，须两名以上执法人员当场确认并写明理由`,
      );
    }
    const ofSession = session.officers;
    const signers = override.officerIds.map((officerId) => {
      const o = ofSession.find((x) => x.officerId === officerId);
      if (!o) {
        throw new AppError(
          'RULE_VIOLATION',
          `officer ${officerId} is not an officer of this session; the statement is theirs to make`,
        );
      }
      return o;
    });
    const confirmed: { userId: number; presence: OfficerPresence; record: () => void }[] = [];
    for (const o of signers) {
      confirmed.push(
        await this.ctx.ports.users.confirmOfficer(
          caller,
          o.officerId,
          override.confirmations?.find((c) => c.officerId === o.officerId),
          { action: 'signing.notice_overridden', caseId: session.caseId, since: session.startedAt },
        ),
      );
    }
    const who = signers.map((o) => o.name).join('、');
    const endMs = (session.endedAt ?? 0) - (session.startedAt ?? 0);
    return {
      statement: {
        kind: 'notice-override',
        speaker: '说明',
        statement: `本次记录中没有「${names}」的记录。经执法人员${who}当场确认，开始核对签名。理由：${override.reason}`,
        atMs: endMs,
      },
      data: {
        missing,
        reason: override.reason,
        officers: signers.map((o, i) => ({
          officerId: o.officerId,
          name: o.name,
          certificateNo: o.certificateNo,
          userId: confirmed[i]!.userId,
          presence: confirmed[i]!.presence,
        })),
      },
      confirmed,
    };
  }

  /**
   * A new token for a party surface of an open signing (the desk's new page link, a newly
   * paired tablet): the surface's token before it stops working. Case writers only; audited.
   */
  issueSurface(caller: Caller, signingId: number, surface: SigningSurface): { token: string } {
    this.reader.desk(caller, signingId, 'a party signing surface');
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
      const user = this.reader.desk(caller, signingId, 'refreshing a signing');
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
