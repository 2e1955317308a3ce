/**
 * The officers' part (R2.2): an officer signs only in person, on the tablet once the desk
 * armed it for them, or at the desk as the signed-in officer or with their own password.
 * Arming lets the signing page take one officer's signature once, within
 * `OFFICER_ARMING_MS`; it goes with a new version, a refusal, a finish or a disarm.
 */
import {
  OFFICER_ARMING_MS,
  type HandwritingInput,
  type SigningStatusDto,
} from '../../../shared/api/signing';
import type { OfficerConfirmation } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { Caller } from '../context';
import type { OfficerSigner, SigningActs } from './acts';
import type { SigningContext } from './context';
import { assertMay, type ActRequest } from './machine';
import type { SigningReader } from './status';
import type { SigningRow, Via } from './store';

export class SigningOfficers {
  constructor(
    private readonly ctx: SigningContext,
    private readonly reader: SigningReader,
    private readonly acts: SigningActs,
  ) {}

  /** An officer's signature, on the armed tablet or at the desk. */
  officer(
    caller: Caller,
    signingId: number,
    token: string | undefined,
    version: number,
    officerId: number,
    handwriting: HandwritingInput,
    confirmation?: OfficerConfirmation,
  ): Promise<SigningStatusDto> {
    const request = { kind: 'officer', officerId } as const;
    return this.acts.record(caller, signingId, token, version, request, handwriting, {
      signer: (via, row) => this.present(caller, via, row, request, version, confirmation),
    });
  }

  /** The officer signing, found present in person (R2.2). */
  private async present(
    caller: Caller,
    via: Via,
    row: SigningRow,
    request: ActRequest & { kind: 'officer' },
    version: number,
    confirmation: OfficerConfirmation | undefined,
  ): Promise<OfficerSigner> {
    // The rules first (cheap, and no password is asked for an act that could not be done);
    // they are checked again after the password's wait.
    const before = this.reader.latestVersion(row.id);
    assertMay(this.reader.facts(row, before, this.reader.acts(row.id)), request, version);
    if (via === 'tablet') {
      const armed = this.ctx.armings.live(row.id, before.version);
      if (!armed || armed.officerId !== request.officerId) {
        throw new AppError(
          'FORBIDDEN',
          'an officer signs on the signing page only after arming it at the desk (在平板上签名)',
        );
      }
      // The account that armed it is still that officer's, and still in use.
      const armedBy = this.ctx.ports.users.get(armed.userId);
      if (armedBy.disabled || armedBy.officerId !== armed.officerId) {
        this.ctx.armings.clear(row.id);
        throw new AppError('FORBIDDEN', 'the account that armed the signing page is not in use');
      }
      return { userId: armed.userId, presence: 'armed', record: () => undefined };
    }
    const session = this.ctx.ports.sessions.get(row.session_id);
    return this.ctx.ports.users.confirmOfficer(caller, request.officerId, confirmation, {
      action: 'signing.officer_signed',
      caseId: session.caseId,
      since: session.startedAt,
    });
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
    return this.ctx.locked(signingId, async () => {
      this.reader.desk(caller, signingId, 'arming the signing page for an officer');
      let row = this.reader.row(signingId);
      const officerAct = { kind: 'officer', officerId } as const;
      assertMay(this.reader.factsNow(row), officerAct);
      const session = this.ctx.ports.sessions.get(row.session_id);
      const who = await this.ctx.ports.users.confirmOfficer(caller, officerId, confirmation, {
        action: 'signing.officer_armed',
        caseId: session.caseId,
        since: session.startedAt,
      });
      row = this.reader.row(signingId);
      const latest = this.reader.latestVersion(signingId);
      // The officer could sign now (party done or refused, of the session, not yet signed),
      // checked again after the password's wait.
      assertMay(this.reader.facts(row, latest, this.reader.acts(signingId)), officerAct);
      const at = this.ctx.deps.now();
      const until = at + OFFICER_ARMING_MS;
      this.ctx.armings.set(row, {
        officerId,
        userId: who.userId,
        version: latest.version,
        until,
      });
      const data = {
        signingId,
        version: latest.version,
        officerId,
        until,
        presence: who.presence,
        armedBy: who.userId,
      };
      this.ctx.deps.db.transaction(() => {
        who.record();
        this.ctx.timeline(session, 'signing.officer_armed', at, who.userId, data);
        this.ctx.audit(caller, session, 'signing.officer_armed', signingId, data);
      })();
      this.ctx.emit(row, latest.version);
      return this.reader.describe(signingId);
    });
  }

  /** Withdraws the tablet's arming (the officer stepped away, or the wrong one was armed). */
  disarmOfficer(caller: Caller, signingId: number): Promise<SigningStatusDto> {
    return this.ctx.locked(signingId, () => {
      const user = this.reader.desk(caller, signingId, 'disarming the signing page');
      const row = this.reader.row(signingId);
      const armed = this.ctx.armings.get(signingId);
      this.ctx.armings.clear(signingId);
      if (armed && armed.until > this.ctx.deps.now()) {
        const session = this.ctx.ports.sessions.get(row.session_id);
        const data = { signingId, officerId: armed.officerId };
        this.ctx.deps.db.transaction(() => {
          this.ctx.timeline(
            session,
            'signing.officer_disarmed',
            this.ctx.deps.now(),
            user.id,
            data,
          );
          this.ctx.audit(caller, session, 'signing.officer_disarmed', signingId, data);
        })();
        this.ctx.emit(row, this.reader.latestVersion(signingId).version);
      }
      return this.reader.describe(signingId);
    });
  }
}
