/**
 * The acts on a signing's current version, each checked against the rules (`machine.ts`),
 * kept append-only with its wall time and session time, and mirrored onto the session
 * timeline: the party's (pages viewed, initials at corrections, pages, seam, closing
 * statement, on the signing page only) and, through the same path, the officers' signatures.
 */
import type { HandwritingInput, SigningStatusDto } from '../../../shared/api/signing';
import { AppError } from '../../../shared/errors';
import type { Caller } from '../context';
import type { SigningContext } from './context';
import { assertMay, type ActKind, type ActRequest } from './machine';
import { ACT_TIMELINE_KIND, handwritingOnSessionClock, sessionTime } from './rules';
import type { SigningReader } from './status';
import { storeHandwriting } from '../../platform/pdf/stored-handwriting';
import { insertAct, type SigningRow, type Via } from './store';

/**
 * Acts one signing takes in a minute: far more than a party writes (a signature takes seconds),
 * few enough that a flooding surface is stopped with a clear error and changes nothing.
 */
export const MAX_ACTS_PER_MINUTE = 60;

/** An act the party or an officer makes on the current version. */
export type VersionAct = ActRequest & { kind: Exclude<ActKind, 'refusal' | 'finish'> };

/** The officer found present in person for their signature, and how. */
export interface OfficerSigner {
  userId: number;
  presence: string;
  /** Writes down the confirmation, in the act's transaction. */
  record: () => void;
}

export class SigningActs {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
  ) {}

  /**
   * Records one act after checking the rules; returns the new status. An officer's act names
   * how the officer is found present (`signer`), asked for after the rules are first checked.
   */
  record(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    request: VersionAct,
    handwriting: HandwritingInput | null,
    opts: {
      data?: Record<string, unknown>;
      signer?: (via: Via, row: SigningRow) => Promise<OfficerSigner>;
    } = {},
  ): Promise<SigningStatusDto> {
    const data = opts.data ?? {};
    return this.ctx.locked(signingId, async () => {
      const { via, surface } = this.reader.access(caller, signingId, token);
      if (request.kind !== 'officer') this.reader.partyOnly(via);
      let row = this.reader.row(signingId);
      let signer: OfficerSigner | null = null;
      if (request.kind === 'officer') {
        if (!opts.signer) throw new Error('an officer’s act needs the officer present');
        signer = await opts.signer(via, row);
        row = this.reader.row(signingId);
      }
      const latest = this.reader.latestVersion(signingId);
      const acts = this.reader.acts(signingId);
      const now = this.ctx.deps.now();
      if (acts.filter((a) => a.at > now - 60_000).length >= MAX_ACTS_PER_MINUTE)
        throw new AppError(
          'CONFLICT',
          `this signing took ${MAX_ACTS_PER_MINUTE} acts in the last minute; wait a moment (is a surface sending on its own?)`,
        );
      const progress = assertMay(this.reader.facts(row, latest, acts), request, version);
      // A party act is the act of whoever signs now; an officer's belongs to no signer.
      const signerNo = request.kind === 'officer' ? 0 : (progress.acting ?? 0);
      const session = this.ctx.ports.sessions.get(row.session_id);
      const at = this.ctx.deps.now();
      const atMs = sessionTime(session, at);
      const hw = handwriting ? handwritingOnSessionClock(handwriting, session, at) : null;
      const page = 'page' in request ? request.page : null;
      const correctionId = 'correctionId' in request ? request.correctionId : null;
      const officerId = 'officerId' in request ? request.officerId : null;
      // The officer who signed (not whoever is signed in at the desk), or the desk's user.
      const userId = signer?.userId ?? (via === 'desk' ? (caller.user?.id ?? null) : null);
      // The party's surface that made the act (its token's issuance), or the officer's presence.
      const actData = signer
        ? { ...data, presence: signer.presence, deskUserId: caller.user?.id ?? null }
        : { ...data, ...(surface ? { surface } : {}) };
      const { db } = this.ctx.deps;
      db.transaction(() => {
        signer?.record();
        const id = insertAct(db, {
          signingId,
          version: latest.version,
          kind: request.kind,
          page,
          correctionId,
          officerId,
          signer: signerNo,
          handwriting: hw ? storeHandwriting(hw) : null,
          data: JSON.stringify(actData),
          via,
          userId,
          at,
          atMs,
        });
        const points = hw ? hw.strokes.reduce((n, s) => n + s.length, 0) : undefined;
        const entry = {
          signingId,
          actId: id,
          version: latest.version,
          via,
          ...(page !== null ? { page } : {}),
          ...(correctionId !== null ? { correctionId } : {}),
          ...(officerId !== null ? { officerId } : {}),
          ...(signerNo ? { signer: signerNo } : {}),
          ...(points !== undefined ? { points } : {}),
          ...actData,
        };
        this.ctx.timeline(session, ACT_TIMELINE_KIND[request.kind], at, userId, entry);
        // Every act is in the audit trail too (a page viewed is a fact of the review, and
        // the chain, anchored outside the database, keeps it from being removed later).
        this.ctx.audit(caller, session, ACT_TIMELINE_KIND[request.kind], signingId, entry);
      })();
      // The arming is used up only by a signature that was written.
      if (signer?.presence === 'armed') this.ctx.armings.clear(signingId);
      this.ctx.emit(row, latest.version);
      return this.reader.describe(signingId);
    });
  }

  /** The party saw a page of the current version. */
  viewPage(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    page: number,
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.record(caller, signingId, token, version, { kind: 'view', page, signer }, null);
  }

  /** The party's initials at a correction made after the review. */
  confirmCorrection(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    correctionId: string,
    handwriting: HandwritingInput,
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.record(
      caller,
      signingId,
      token,
      version,
      { kind: 'initials', correctionId, signer },
      handwriting,
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
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.record(
      caller,
      signingId,
      token,
      version,
      { kind: 'page', page, signer },
      handwriting,
    );
  }

  /** The party signs across the seam of all pages. */
  seam(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    handwriting: HandwritingInput,
    signer?: number,
  ): Promise<SigningStatusDto> {
    return this.record(caller, signingId, token, version, { kind: 'seam', signer }, handwriting);
  }

  /** The party writes the closing statement (the signing's own words, when given). */
  closingStatement(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    text: string | undefined,
    handwriting: HandwritingInput,
    signer?: number,
  ): Promise<SigningStatusDto> {
    const expected = this.reader.row(signingId).closing_text;
    if (text !== undefined && text !== expected) {
      throw new AppError('RULE_VIOLATION', `the closing statement to write is “${expected}”`);
    }
    return this.record(
      caller,
      signingId,
      token,
      version,
      { kind: 'closing', signer },
      handwriting,
      {
        data: { text: expected },
      },
    );
  }
}
