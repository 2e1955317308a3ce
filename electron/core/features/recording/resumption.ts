/**
 * What follows an interruption (R3.5): the session resumes, with the reason on its timeline,
 * or, when it cannot, its officers end it with a signed statement.
 */
import type { OfficerConfirmation, SessionDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { requireUser, type Caller } from '../context';
import { lastSessionEvent, markEnded, markResumed, type SessionsService } from '../sessions';
import type { UsersService } from '../users';
import type { RecordingContext } from './context';
import type { StatusPush } from './status-push';

export class Resumption {
  constructor(
    private readonly ctx: RecordingContext,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly status: StatusPush,
  ) {}

  resume(caller: Caller, id: number, reason: string): SessionDto {
    const user = requireUser(caller);
    const { ctx } = this;
    const { db, audit, now } = ctx.deps;
    db.transaction(() => {
      const s = ctx.session(id);
      if (s.status !== 'interrupted')
        throw new AppError('CONFLICT', `the session is ${s.status}, not interrupted`);
      const disk = ctx.measureDisk();
      if (ctx.thresholds.belowFloor(disk.freeBytes)) {
        throw new AppError(
          'CONFLICT',
          `only ${disk.freeBytes} bytes free, below the floor: free space first`,
        );
      }
      const at = now();
      markResumed(db, id);
      ctx.addEvent({ session: s, at, kind: 'session.resumed', userId: user.id, data: { reason } });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.resumed',
        entity: 'session',
        entityId: id,
        caseId: s.caseId,
        data: { reason },
      });
    })();
    const session = this.sessions.get(id);
    ctx.deps.emit('case.changed', { caseId: session.caseId });
    this.status.push(id);
    return session;
  }

  /**
   * Ends an interrupted session that cannot resume (R3.5). The statement is signed by two or
   * more officers of the session, each in person: the one signed in, the others with their
   * own username and password. Nothing is written unless every one of them is confirmed.
   */
  async abandon(
    caller: Caller,
    id: number,
    statement: string,
    officerIds: number[],
    confirmations: (OfficerConfirmation & { officerId: number })[],
  ): Promise<SessionDto> {
    const user = requireUser(caller);
    const { ctx } = this;
    const { db, audit, now } = ctx.deps;
    const before = ctx.session(id);
    if (before.status !== 'interrupted')
      throw new AppError('CONFLICT', `the session is ${before.status}, not interrupted`);
    const ofSession = this.sessions.get(id).officers;
    const signers = officerIds.map((officerId) => {
      const o = ofSession.find((x) => x.officerId === officerId);
      if (!o) {
        throw new AppError(
          'RULE_VIOLATION',
          `officer ${officerId} is not an officer of this session; the statement is signed by the session's officers (R3.5)`,
        );
      }
      return { id: o.officerId, name: o.name, certificateNo: o.certificateNo };
    });
    // Each officer in person, one after another (a wrong password stops here, nothing written).
    const confirmed: Awaited<ReturnType<UsersService['confirmOfficer']>>[] = [];
    for (const officerId of officerIds) {
      confirmed.push(
        await this.users.confirmOfficer(
          caller,
          officerId,
          confirmations.find((c) => c.officerId === officerId),
          { action: 'session.abandoned', caseId: before.caseId, since: before.startedAt },
        ),
      );
    }
    db.transaction(() => {
      for (const who of confirmed) who.record();
      const s = ctx.session(id);
      if (s.status !== 'interrupted')
        throw new AppError('CONFLICT', `the session is ${s.status}, not interrupted`);
      const officers = signers.map((o, i) => ({
        ...o,
        confirmedBy: {
          officerId: o.id,
          userId: confirmed[i]!.userId,
          presence: confirmed[i]!.presence,
        },
      }));
      const last = lastSessionEvent<{ stoppedAt?: number }>(db, id, 'session.interrupted');
      const at = now();
      // The record ends when the recording stopped, not when the statement was written (R2.4).
      const stoppedAt = last?.stoppedAt ?? at;
      markEnded(db, id, stoppedAt);
      ctx.addEvent({
        session: s,
        at,
        kind: 'session.abandoned',
        userId: user.id,
        data: { statement, officers, stoppedAt },
      });
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.abandoned',
        entity: 'session',
        entityId: id,
        caseId: s.caseId,
        data: { statement, officers, stoppedAt },
      });
    })();
    const session = this.sessions.get(id);
    ctx.deps.emit('case.changed', { caseId: session.caseId });
    return session;
  }
}
