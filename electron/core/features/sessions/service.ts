import { AppError } from '../../../shared/errors';
import {
  SESSION_KINDS_NEEDING_TWO_OFFICERS,
  type MatterKind,
  type SessionDto,
  type SessionKind,
} from '../../../shared/domain';
import type { SessionCreateInput } from '../../../shared/api/index';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { caseHeader, casePhase, isCaseOfficer, isPartyOfCase, touchCase } from '../cases';
import { avSourcesSuffice, type AvRequirement } from '../../../shared/rules/av-list';
import { officerCard } from '../registers';
import { markEnded, markStarted } from './lifecycle';
import {
  insertSession,
  insertSessionOfficers,
  insertSessionParticipants,
  sessionOfficerLinks,
  sessionParticipants,
  sessionRow,
  sessionRowsOfCase,
  type SessionRow,
  recordAvRequirement,
} from './store';

/**
 * What ending a session needs of the recording: segments the renderer did not close are
 * finished by the core, and the written end time is not earlier than the media it covers
 * (R2.4). The recording feature provides it; sessions never import recording at run time.
 */
export interface RecordingStop {
  /** Finishes the segments of the session still open. */
  sessionEnded(sessionId: number): void;
  /** Where the session's recorded media ends, in session ms, or null when nothing was recorded. */
  mediaEndMs(sessionId: number): number | null;
  /** The sources of the session's last pre-flight check, or null when none was saved. */
  checkedSources?(sessionId: number): { cameras: number; microphones: number } | null;
  /** What the agency's A/V matters list asks of a kind of session in a kind of case (R3.2). */
  avRequirement?(
    session: SessionKind,
    matter: MatterKind,
  ): { version: number; requirement: AvRequirement } | null;
}

/** Sessions of a case: interviews, hearings, summons talks, on-site inspections. */
export class SessionsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly recording: RecordingStop,
  ) {}

  private toDto(r: SessionRow): SessionDto {
    const { db } = this.deps;
    return {
      id: r.id,
      caseId: r.case_id,
      kind: r.kind,
      status: r.status,
      place: r.place,
      room: r.room,
      ...(r.subject ? { subject: r.subject } : {}),
      scheduledAt: r.scheduled_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      timeZone: r.time_zone,
      ...(r.av_requirement
        ? { avList: { version: r.av_list_version ?? 0, requirement: r.av_requirement } }
        : {}),
      createdAt: r.created_at,
      officers: sessionOfficerLinks(db, r.id).flatMap(({ officerId, role }) => {
        const o = officerCard(db, officerId);
        return o ? [{ officerId, name: o.name, certificateNo: o.certificateNo, role }] : [];
      }),
      participants: sessionParticipants(db, r.id),
    };
  }

  get(id: number): SessionDto {
    const row = sessionRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `no session ${id}`);
    return this.toDto(row);
  }

  listForCase(caseId: number): SessionDto[] {
    return sessionRowsOfCase(this.deps.db, caseId).map((r) => this.toDto(r));
  }

  /**
   * Opens a session of a case. Rules checked here:
   * - interviews, summons talks, inspections and hearings need at least two officers (R1.3);
   * - a hearing has exactly one moderator (主持人), who is not one of the case's own
   *   investigating officers (a hearing is presided over by someone outside the investigation);
   * - participants named as parties must be parties of this case.
   */
  create(caller: Caller, input: SessionCreateInput): SessionDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const session = db.transaction(() => {
      const phase = casePhase(db, input.caseId);
      if (!phase) throw new AppError('NOT_FOUND', `no case ${input.caseId}`);
      if (phase === 'archiving')
        throw new AppError('CONFLICT', 'the case is archived and can no longer change');
      if (SESSION_KINDS_NEEDING_TWO_OFFICERS.includes(input.kind) && input.officers.length < 2) {
        throw new AppError(
          'RULE_VIOLATION',
          'at least two officers must take part (R1.3: 执法人员不得少于两人)',
        );
      }
      for (const o of input.officers) {
        const officer = officerCard(db, o.officerId);
        if (!officer) throw new AppError('NOT_FOUND', `no officer ${o.officerId}`);
        if (!officer.active) throw new AppError('CONFLICT', `officer ${o.officerId} is not active`);
      }
      if (input.kind !== 'hearing' && input.officers.some((o) => o.role === 'hearing_officer')) {
        throw new AppError('RULE_VIOLATION', 'hearing officers (听证员) sit at hearings only');
      }
      if (input.kind === 'hearing') {
        // The panel (主持人 and 听证员) is not of the case's investigators.
        for (const o of input.officers.filter((x) => x.role === 'hearing_officer')) {
          if (isCaseOfficer(db, input.caseId, o.officerId)) {
            throw new AppError(
              'RULE_VIOLATION',
              "a hearing officer (听证员) must not be one of the case's investigating officers",
            );
          }
        }
        const moderators = input.officers.filter((o) => o.role === 'moderator');
        if (moderators.length !== 1) {
          throw new AppError('RULE_VIOLATION', 'a hearing has exactly one moderator (主持人)');
        }
        if (isCaseOfficer(db, input.caseId, moderators[0]!.officerId)) {
          throw new AppError(
            'RULE_VIOLATION',
            "the hearing moderator must not be one of the case's investigating officers",
          );
        }
      }
      for (const p of input.participants) {
        if (p.partyId === undefined) continue;
        if (!isPartyOfCase(db, p.partyId, input.caseId))
          throw new AppError('NOT_FOUND', `party ${p.partyId} is not a party of this case`);
      }
      const at = now();
      const id = insertSession(db, {
        caseId: input.caseId,
        kind: input.kind,
        place: input.place,
        room: input.room ?? null,
        subject: input.subject ?? null,
        scheduledAt: input.scheduledAt ?? null,
        createdBy: user.id,
        createdAt: at,
      });
      insertSessionOfficers(db, id, input.officers);
      insertSessionParticipants(db, id, input.participants);
      touchCase(db, input.caseId, at);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.created',
        entity: 'session',
        entityId: id,
        caseId: input.caseId,
        data: input,
      });
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: input.caseId });
    return session;
  }

  /**
   * Starts the session: session time 0 is now, recorded in UTC with the machine's time zone.
   * The recording anchors its clock here; the transcript is stamped against it.
   */
  start(caller: Caller, id: number): SessionDto {
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const session = db.transaction(() => {
      const s = this.get(id);
      if (s.status !== 'planned') throw new AppError('CONFLICT', `the session is ${s.status}`);
      // A kind of session on the agency's A/V matters list starts only with its recording
      // checked: picture and sound to record it whole, at least one of them to record it.
      const matter = caseHeader(db, s.caseId)?.matterKind;
      const av = matter ? (this.recording.avRequirement?.(s.kind, matter) ?? null) : null;
      if (av) {
        const sources = this.recording.checkedSources?.(id) ?? null;
        if (!sources || !avSourcesSuffice(av.requirement, sources))
          throw new AppError(
            'RULE_VIOLATION',
            `按本机构音像记录事项清单（${av.version ? `第 ${av.version} 版` : '默认'}），本类记录须${av.requirement === 'whole' ? '全程不间断录音录像：录制前检查须包括摄像机和麦克风' : '录音录像：须先完成录制前检查'} (R3.2)`,
          );
      }
      const at = now();
      const timeZone = this.deps.timeZone();
      markStarted(db, id, at, timeZone);
      if (av) recordAvRequirement(db, id, av.version, av.requirement);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.started',
        entity: 'session',
        entityId: id,
        caseId: s.caseId,
        data: { startedAt: at, timeZone, avList: av },
      });
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: session.caseId });
    return session;
  }

  /**
   * Ends the session (the UI asks for confirmation: the rules forbid selective recording).
   * Segments the renderer did not close are finished by the core first: the recording ends
   * here, and the written end time is not earlier than the media it covers (R2.4).
   */
  end(caller: Caller, id: number, stoppedAtSessionMs?: number): SessionDto {
    this.recording.sessionEnded(id);
    const mediaEndMs = this.recording.mediaEndMs(id);
    const user = requireUser(caller);
    const { db, audit, now } = this.deps;
    const session = db.transaction(() => {
      const s = this.get(id);
      if (s.status !== 'recording') throw new AppError('CONFLICT', `the session is ${s.status}`);
      // The end is when the recording stopped (R2.4); never later than now, never before the start.
      const stoppedAt =
        stoppedAtSessionMs !== undefined && s.startedAt !== null
          ? Math.min(now(), s.startedAt + stoppedAtSessionMs)
          : now();
      // ...and never before the end of what was recorded.
      const at =
        mediaEndMs != null && s.startedAt !== null
          ? Math.min(now(), Math.max(stoppedAt, s.startedAt + mediaEndMs))
          : stoppedAt;
      markEnded(db, id, at);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'session.ended',
        entity: 'session',
        entityId: id,
        caseId: s.caseId,
        data: { endedAt: at, durationMs: at - (s.startedAt ?? at) },
      });
      return this.get(id);
    })();
    this.deps.emit('case.changed', { caseId: session.caseId });
    return session;
  }
}
