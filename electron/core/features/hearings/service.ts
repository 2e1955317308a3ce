/**
 * The hearing report (听证报告, R2.3): drafted after the hearing ended, each save a new version
 * kept beside the others; signed once by the hearing's moderator in person (signed in, or with
 * their own password), which prints it (PDF signed by the workstation) into the session's
 * folder with its text, for the seal to carry into the bag. Writing and signing it are the case
 * team's, as the record of the hearing is; reading it, the team's or a grant holder's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HearingReportContent, HearingReportDto } from '../../../shared/api/hearings';
import type { OfficerConfirmation, SessionDto } from '../../../shared/domain';
import { CASE_WRITERS } from '../../../shared/api/index';
import { AppError } from '../../../shared/errors';
import { ZH_ENUMS } from '../../../shared/names-zh';
import { canonicalJson } from '../../platform/pdf/canonical';
import { writeFileAtomicSync } from '../../platform/fs';
import { loadOrCreateIdentity } from '../../platform/pki';
import { requireRole, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import type { CasesService } from '../cases';
import type { OfficersService } from '../registers';
import type { SessionsService } from '../sessions';
import type { UsersService } from '../users';
import { latestSigningOfSession } from '../signing';
import { renderHearingReport } from './report-pdf';
import {
  insertReport,
  insertReportSigning,
  latestReport,
  reportSigningOf,
  type ReportRow,
} from './store';

export interface HearingPorts {
  sessions: Pick<SessionsService, 'get'>;
  cases: Pick<CasesService, 'get'>;
  officers: Pick<OfficersService, 'get'>;
  users: Pick<UsersService, 'confirmOfficer' | 'get'>;
  guard: EvidenceGuard;
}

const PRESENCE_ZH = { signed_in: '本人登录确认', password: '输入本人口令确认' } as const;

export class HearingsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: HearingPorts,
    private readonly opts: { dataDir: string; identityDir: string },
  ) {}

  /**
   * A hearing and the caller: a case writer who may read it (its team, or with a grant) or, to
   * write or sign its report, who is on its team (a grant lets one read, never write).
   */
  private hearing(caller: Caller, sessionId: number, what: string, writes: boolean) {
    const user = requireRole(caller, CASE_WRITERS, what);
    const session = this.ports.sessions.get(sessionId);
    if (session.kind !== 'hearing')
      throw new AppError('RULE_VIOLATION', 'only a hearing (听证) has a hearing report');
    const ask = {
      caseId: session.caseId,
      what,
      entity: 'session' as const,
      entityId: session.id,
    };
    if (writes) this.ports.guard.requireTeam(caller, ask);
    else this.ports.guard.require(caller, { ...ask, mode: 'view', sessionIds: [session.id] });
    return { session, user };
  }

  private moderatorOf(session: SessionDto) {
    const m = session.officers.find((o) => o.role === 'moderator');
    if (!m) throw new AppError('RULE_VIOLATION', 'the hearing names no moderator (主持人)');
    return m;
  }

  private dto(session: SessionDto, row: ReportRow): HearingReportDto {
    const m = this.moderatorOf(session);
    const signing = reportSigningOf(this.deps.db, session.id);
    return {
      sessionId: session.id,
      version: row.version,
      content: JSON.parse(row.content) as HearingReportContent,
      writtenBy: this.ports.users.get(row.written_by).displayName,
      writtenAt: row.written_at,
      moderator: { officerId: m.officerId, name: m.name, certificateNo: m.certificateNo },
      signed: signing
        ? {
            at: signing.signed_at,
            presence: signing.presence,
            path: signing.pdf_path,
            sha256: signing.pdf_sha256,
          }
        : null,
    };
  }

  /** The latest version of the report, or null before one is written. */
  report(caller: Caller, sessionId: number): HearingReportDto | null {
    const { session } = this.hearing(caller, sessionId, '查看听证报告', false);
    const row = latestReport(this.deps.db, sessionId);
    return row ? this.dto(session, row) : null;
  }

  /** Saves a new version of the report of an ended hearing; a signed report is final. */
  saveReport(caller: Caller, sessionId: number, content: HearingReportContent): HearingReportDto {
    const { session, user } = this.hearing(caller, sessionId, '撰写听证报告', true);
    if (session.status !== 'ended' && session.status !== 'sealed')
      throw new AppError('CONFLICT', 'the hearing report is written after the hearing has ended');
    if (reportSigningOf(this.deps.db, sessionId))
      throw new AppError('CONFLICT', 'the hearing report is signed; it is no longer changed');
    this.moderatorOf(session);
    const { db } = this.deps;
    const at = this.deps.now();
    const row = db.transaction(() => {
      const version = (latestReport(db, sessionId)?.version ?? 0) + 1;
      insertReport(db, { sessionId, version, content, by: user.id, at });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'hearing.report_saved',
        entity: 'session',
        entityId: sessionId,
        caseId: session.caseId,
        data: { version },
      });
      return latestReport(db, sessionId)!;
    })();
    this.deps.emit('hearings.reportChanged', { sessionId, version: row.version, signed: false });
    return this.dto(session, row);
  }

  /**
   * The moderator signs the version they read, in person; the report is printed (PDF signed
   * by the workstation) with its text beside it, and their hashes kept for the seal.
   */
  async signReport(
    caller: Caller,
    sessionId: number,
    version: number,
    confirmation: OfficerConfirmation | undefined,
  ): Promise<HearingReportDto> {
    const { session } = this.hearing(caller, sessionId, '签署听证报告', true);
    const { db } = this.deps;
    const check = (): ReportRow => {
      if (reportSigningOf(db, sessionId))
        throw new AppError('CONFLICT', 'the hearing report is already signed');
      const row = latestReport(db, sessionId);
      if (!row) throw new AppError('CONFLICT', 'no hearing report has been written yet');
      if (row.version !== version)
        throw new AppError(
          'CONFLICT',
          `the report changed (now version ${row.version}, you read ${version}); read it again`,
        );
      return row;
    };
    check();
    const moderator = this.moderatorOf(session);
    const who = await this.ports.users.confirmOfficer(caller, moderator.officerId, confirmation, {
      action: 'hearing.report_signed',
      caseId: session.caseId,
      since: session.startedAt,
    });
    const row = check();
    const content = JSON.parse(row.content) as HearingReportContent;
    const c = this.ports.cases.get(session.caseId);
    const at = this.deps.now();
    const names = (role: string) =>
      session.officers.filter((o) => o.role === role).map((o) => o.name);
    const record = latestSigningOfSession(db, sessionId);
    const identity = await loadOrCreateIdentity(this.opts.identityDir);
    const pdf = await renderHearingReport({
      agency: this.ports.officers.get(moderator.officerId).unit ?? null,
      caseNo: c.caseNo,
      cause: c.cause,
      heldFrom: session.startedAt!,
      heldTo: session.endedAt!,
      place: session.room ? `${session.place} ${session.room}` : session.place,
      moderator: moderator.name,
      panel: names('hearing_officer'),
      investigators: names('investigator'),
      recorder: names('recorder').join('、') || '—',
      participants: session.participants.map((p) => `${ZH_ENUMS.participantRole[p.role]}${p.name}`),
      record: record?.pdf_sha256 ? { sha256: record.pdf_sha256 } : null,
      content,
      version: row.version,
      signedAt: at,
      presence: PRESENCE_ZH[who.presence],
      timeZone: session.timeZone ?? this.deps.timeZone(),
      signer: identity.signer,
    });
    const json = Buffer.from(
      canonicalJson({
        schema: 'attest.hearing-report/1',
        sessionId,
        caseNo: c.caseNo,
        version: row.version,
        content,
        moderator: { name: moderator.name, certificateNo: moderator.certificateNo },
        signedAt: new Date(at).toISOString(),
        presence: who.presence,
      }),
      'utf8',
    );
    const rel = `sessions/${sessionId}/hearing-report.pdf`;
    const dir = join(this.opts.dataDir, 'sessions', String(sessionId));
    mkdirSync(dir, { recursive: true });
    // Written first, under their final names: a signing row never points at a missing file.
    writeFileAtomicSync(join(dir, 'hearing-report.pdf'), pdf);
    writeFileAtomicSync(join(dir, 'hearing-report.json'), json);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    db.transaction(() => {
      check();
      who.record();
      insertReportSigning(db, {
        session_id: sessionId,
        report_id: row.id,
        officer_id: moderator.officerId,
        user_id: who.userId,
        presence: who.presence,
        pdf_path: rel,
        pdf_sha256: sha(pdf),
        json_sha256: sha(json),
        signed_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: caller.user?.id ?? null,
        actor: caller.user?.displayName ?? null,
        action: 'hearing.report_signed',
        entity: 'session',
        entityId: sessionId,
        caseId: session.caseId,
        data: {
          version: row.version,
          officerId: moderator.officerId,
          presence: who.presence,
          sha256: sha(pdf),
        },
      });
    })();
    this.deps.emit('hearings.reportChanged', { sessionId, version: row.version, signed: true });
    return this.dto(session, row);
  }
}
