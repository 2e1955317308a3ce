/**
 * Reading a signing: who may act on it (the party's page with its token, or a case writer at
 * the desk), the facts the rules judge, and what the desk and the tablet are shown.
 */
import { CASE_WRITERS } from '../../../shared/api/index';
import type { SigningStatusDto } from '../../../shared/api/signing';
import type { UserDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Transcript } from '../../platform/pdf/model';
import { requireRole, type Caller } from '../context';
import type { SigningContext } from './context';
import {
  correctionsOf,
  pagesOf,
  reviewedTurns,
  signersOfRecord,
  speakerLabels,
  turnsHash,
} from './document';
import { OFFICERS_NEEDED, progressOf, type SigningFacts } from './machine';
import { factsOf, recordModeOf, type RecordMode } from './rules';
import {
  actsOf,
  latestSigningOfSession,
  latestVersion,
  refusalsOf,
  signingById,
  surfaceOfToken,
  type ActRow,
  type SigningRow,
  type Via,
  type VersionRow,
} from './store';

export class SigningReader {
  constructor(private readonly ctx: SigningContext) {}

  /** A signing by id; NOT_FOUND when there is none. */
  row(signingId: number): SigningRow {
    return signingById(this.ctx.deps.db, signingId);
  }

  latestVersion(signingId: number): VersionRow {
    return latestVersion(this.ctx.deps.db, signingId);
  }

  acts(signingId: number): ActRow[] {
    return actsOf(this.ctx.deps.db, signingId);
  }

  /**
   * Who may act: the party's page with the token, or a signed-in officer at the desk; for the
   * party, also which surface's token it is (`page#3`, `lan-tablet#5`), for the act's record.
   */
  access(
    caller: Caller,
    signingId: number,
    token: string | undefined,
  ): { via: Via; surface: string | null } {
    if (token !== undefined) {
      // The party's surface is never a signed-in desk: an officer's connection that holds the
      // party's token (it is shown at the desk) still cannot act or read as the party.
      if (caller.user)
        throw new AppError(
          'FORBIDDEN',
          'the party’s signing page is used on the party’s own surface, not from a signed-in desk (当事人签名只能在签名屏/平板上进行)',
        );
      // Tokens are kept as hashes, looked up by hash: an unknown signing, a wrong token and
      // one replaced by a newer of its surface all look the same to the page.
      const s = surfaceOfToken(this.ctx.deps.db, signingId, token);
      if (!s)
        throw new AppError('FORBIDDEN', 'this signing page is not valid (wrong or replaced token)');
      return { via: 'tablet', surface: `${s.surface}#${s.id}` };
    }
    this.desk(caller, signingId, 'signing at the desk');
    return { via: 'desk', surface: null };
  }

  /**
   * The desk of a session's signing, for a case writer of the case team (it shows the record
   * and acts on it; a grant lets one read a finished record, never sign it).
   */
  deskOfSession(caller: Caller, sessionId: number, what: string): UserDto {
    const user = requireRole(caller, CASE_WRITERS, what);
    const session = this.ctx.ports.sessions.get(sessionId);
    this.ctx.ports.guard.requireTeam(caller, {
      caseId: session.caseId,
      what: '笔录签名',
      entity: 'session',
      entityId: sessionId,
    });
    return user;
  }

  /** The desk of a signing (see {@link deskOfSession}). */
  desk(caller: Caller, signingId: number, what: string): UserDto {
    return this.deskOfSession(caller, this.row(signingId).session_id, what);
  }

  /** Only the party's page reviews and signs for the party. */
  partyOnly(via: Via): void {
    if (via !== 'tablet') {
      throw new AppError('FORBIDDEN', 'only the party, on the signing page, reviews and signs');
    }
  }

  /** The transcript state's turns now, as printed, and the sequence they were read at. */
  currentTurns(sessionId: number, session = this.ctx.ports.sessions.get(sessionId)) {
    const { seq, state } = this.ctx.ports.transcripts.get(sessionId);
    const turns = reviewedTurns(state.turns, speakerLabels(session));
    return { seq, turns, hash: turnsHash(turns) };
  }

  /** What the rules judge of a signing at a version. */
  facts(row: SigningRow, version: VersionRow, acts: ActRow[]): SigningFacts {
    const session = this.ctx.ports.sessions.get(row.session_id);
    const stale =
      row.state === 'open' &&
      this.currentTurns(row.session_id, session).hash !== version.turns_hash;
    return factsOf(
      version,
      acts,
      session.officers.map((o) => o.officerId),
      stale,
      (kind) => this.ctx.printer.templates().kinds[kind],
      (certificateNo) => session.officers.find((o) => o.certificateNo === certificateNo)?.officerId,
    );
  }

  /** The facts of a signing's latest version, read now. */
  factsNow(row: SigningRow): SigningFacts {
    return this.facts(row, this.latestVersion(row.id), this.acts(row.id));
  }

  /** Signed by the party, or refused (with the reason), and the other signers' refusals. */
  mode(row: SigningRow): RecordMode {
    return recordModeOf(refusalsOf(this.ctx.deps.db, row.id));
  }

  /** What the desk and the tablet show about a signing. */
  status(caller: Caller, signingId: number, token?: string): SigningStatusDto {
    this.access(caller, signingId, token);
    return this.describe(signingId);
  }

  /** A signing as the desk and the tablet see it (no access check). */
  describe(signingId: number): SigningStatusDto {
    const row = this.row(signingId);
    const version = this.latestVersion(signingId);
    const acts = this.acts(signingId);
    const facts = this.facts(row, version, acts);
    const p = progressOf(facts);
    const transcript = JSON.parse(version.transcript) as Transcript;
    const layout = this.ctx.printer.layout(transcript, this.mode(row));
    const pages = pagesOf(layout);
    const session = this.ctx.ports.sessions.get(row.session_id);
    const c = this.ctx.ports.cases.get(session.caseId);
    const form = this.ctx.printer.templates().kinds[transcript.kind];
    const refusals = refusalsOf(this.ctx.deps.db, row.id);
    const refusalOfSigner = (n: number) => {
      const r = refusals.find((x) => x.signer === n);
      return r ? { reason: r.reason, at: r.at, atMs: r.atMs } : null;
    };
    const people = signersOfRecord(transcript, form.partyLabel);
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
      armed: this.ctx.armings.armedOf(signingId, session, version.version),
      refusal: refusalOfSigner(0),
      step: p.step,
      missing: p.missing,
      signers: people.map((who, index) => {
        const part = p.signers[index]!;
        return {
          index,
          name: who.name,
          role: who.role,
          state: part.refused
            ? 'refused'
            : part.done
              ? 'signed'
              : index === p.current
                ? 'signing'
                : 'waiting',
          refusal: refusalOfSigner(index),
        };
      }),
      signer: p.current,
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
   * The latest signing of a session, or null. Never with a token: those are kept only as
   * hashes; the desk gets one when it opens the signing or asks for a new party page.
   */
  ofSession(caller: Caller, sessionId: number): SigningStatusDto | null {
    this.deskOfSession(caller, sessionId, 'signing');
    const row = latestSigningOfSession(this.ctx.deps.db, sessionId);
    return row ? this.describe(row.id) : null;
  }

  /**
   * What a LAN tablet is paired to: a signing still open to the party's page (open, or
   * refused while the officers sign), with its token. Case writers only.
   */
  lanTarget(
    caller: Caller,
    signingId: number,
    opts: { finished?: boolean } = {},
  ): { signingId: number; sessionId: number; caseId: number } {
    this.desk(caller, signingId, 'pairing a signing tablet');
    const row = this.row(signingId);
    if (row.state === 'finished' && !opts.finished) {
      throw new AppError('CONFLICT', 'the record is already signed and finished');
    }
    const session = this.ctx.ports.sessions.get(row.session_id);
    return { signingId, sessionId: row.session_id, caseId: session.caseId };
  }
}
