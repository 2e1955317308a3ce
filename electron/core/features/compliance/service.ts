/**
 * The compliance report's facts, gathered from the features that own them (the session and its
 * transcript, the pre-flight check, the media, the signing, the hearing report; for a case its
 * start, approval, documents, stored copies, retention and filing clock) and judged by the pure
 * rules of `shared/rules/compliance.ts`.
 */
import type { ApprovalFormDto } from '../../../shared/api/approvals';
import type { IssuedDocumentDto } from '../../../shared/api/documents';
import type { RetentionStatusDto } from '../../../shared/api/filing';
import type { FilingClock } from '../../../shared/rules/filing';
import type { CaseInitiationDto } from '../../../shared/api/initiation';
import type { CaseDetailDto, SessionDto } from '../../../shared/domain';
import { zhName } from '../../../shared/names-zh';
import {
  caseCompliance,
  COMPLIANCE_SCHEMA,
  sessionCompliance,
  type ComplianceReport,
  type SessionComplianceFacts,
} from '../../../shared/rules/compliance';
import { bagStorageOutcome, storageDeadlineOf } from '../../../shared/rules/deadline';
import {
  PROCEDURE_STEP_KINDS,
  type Marker,
  type ProcedureStep,
} from '../../../shared/rules/transcript';
import { dateIn, dateTimeIn } from '../../../shared/time';
import { formatElapsed } from '../../platform/pdf/time';
import type { ServiceDeps } from '../context';
import { reportSigningOf } from '../hearings';
import { recordedPreflightsOf, recordedSegmentsOf } from '../recording';
import { sealedBundleRefs } from '../sealing';
import { lastSessionEvent, sessionEvents } from '../sessions';
import { latestSigningOfSession, refusalsOfSession, signedOfficerCount } from '../signing';
import { replicasOfBag } from '../storage';

export interface CompliancePorts {
  sessions: { get(id: number): SessionDto };
  cases: { get(id: number): CaseDetailDto };
  transcripts: { get(sessionId: number): { state: { markers: readonly Marker[] } } };
  initiation: { ofCase(caseId: number): CaseInitiationDto };
  approvals: { list(caseId: number): ApprovalFormDto[] };
  documents: { list(caseId: number): IssuedDocumentDto[] };
  retention: { status(caseId: number): RetentionStatusDto };
  filing: { clock(caseId: number): FilingClock };
}

export class ComplianceService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: CompliancePorts,
  ) {}

  /** The facts of one session, as its report judges them. */
  sessionFacts(sessionId: number): SessionComplianceFacts {
    const { db } = this.deps;
    const s = this.ports.sessions.get(sessionId);
    const tz = s.timeZone ?? this.deps.timeZone();
    const marked: SessionComplianceFacts['marked'] = {};
    for (const m of this.ports.transcripts.get(sessionId).state.markers)
      if ((PROCEDURE_STEP_KINDS as readonly string[]).includes(m.kind))
        marked[m.kind as ProcedureStep] ??= formatElapsed(m.at);
    const override = lastSessionEvent<{
      missing: string[];
      reason: string;
      officers: { name: string }[];
    }>(db, sessionId, 'signing.notice_overridden');
    const preflight = recordedPreflightsOf(db, sessionId).at(-1);
    const sources = preflight
      ? ((JSON.parse(preflight.preflight) as { sources?: { deviceNo: string }[] }).sources ?? [])
      : null;
    const interruptions: SessionComplianceFacts['interruptions'] = [];
    for (const e of sessionEvents(db, sessionId)) {
      const at = s.startedAt === null ? '—' : formatElapsed(e.at - s.startedAt);
      if (e.kind === 'session.interrupted') interruptions.push({ at, reason: null });
      const last = interruptions.at(-1);
      if (e.kind === 'session.resumed' && last)
        last.reason = (e.data as { reason?: string }).reason ?? null;
      if (e.kind === 'session.abandoned' && last)
        last.reason = `书面说明：${(e.data as { statement?: string }).statement ?? ''}`;
    }
    const signing = latestSigningOfSession(db, sessionId);
    const report = s.kind === 'hearing' ? reportSigningOf(db, sessionId) : undefined;
    return {
      kind: s.kind,
      officers: s.officers.map((o) => ({ name: o.name, certificateNo: o.certificateNo })),
      marked,
      noticeOverride: override
        ? {
            missing: override.missing,
            reason: override.reason,
            officers: override.officers.map((o) => o.name),
          }
        : null,
      preflight: sources
        ? { sources: sources.length, deviceNos: sources.map((x) => x.deviceNo) }
        : null,
      media: {
        files: recordedSegmentsOf(db, sessionId).length,
        span:
          s.startedAt !== null && s.endedAt !== null
            ? `${dateTimeIn(s.startedAt, tz)} 至 ${dateTimeIn(s.endedAt, tz)}`
            : '尚未结束',
      },
      signing: !signing
        ? null
        : signing.state === 'finished'
          ? {
              state: 'finished',
              pages: signing.page_count ?? 0,
              refused: refusalsOfSession(db, sessionId).map((r) => `（拒签：${r.reason}）`),
              officers: signedOfficerCount(db, signing.id),
            }
          : { state: signing.state === 'refused' ? 'refused' : 'open' },
      interruptions,
      hearingReport: s.kind === 'hearing' ? (report ? 'signed' : 'unsigned') : null,
      ...(s.avList ? { avList: s.avList } : {}),
    };
  }

  session(sessionId: number): ComplianceReport {
    return {
      schema: COMPLIANCE_SCHEMA,
      subject: { kind: 'session', sessionId },
      at: new Date(this.deps.now()).toISOString(),
      items: sessionCompliance(this.sessionFacts(sessionId)),
    };
  }

  case(caseId: number): ComplianceReport {
    const { db } = this.deps;
    const c = this.ports.cases.get(caseId);
    const tz = this.deps.timeZone();
    const init = this.ports.initiation.ofCase(caseId);
    const counting = this.ports.approvals.list(caseId).find((f) => f.counts);
    const docs = this.ports.documents.list(caseId);
    const now = this.deps.now();
    const bundles = sealedBundleRefs(db, { caseId }).map((b) => {
      const copies = replicasOfBag(db, { bagIds: [b.bagId], bagPath: b.path });
      const { outcome } = bagStorageOutcome(copies, storageDeadlineOf(b.recordedEndAt), now);
      const stored = copies.find((j) => j.verifiedAt !== null);
      return {
        name: b.bagName,
        stored: outcome === 'in_time' || outcome === 'late' ? outcome : ('not_stored' as const),
        evidence: stored
          ? `${stored.target}，${dateTimeIn(stored.verifiedAt!, tz, false)} 读回核验${outcome === 'late' ? '（逾期）' : ''}`
          : '尚未存入指定存储',
      };
    });
    const clock = this.ports.filing.clock(caseId);
    const items = caseCompliance({
      origin: {
        reason: c.origin.reason,
        emergency: init.emergency
          ? { late: init.emergency.late, reported: init.emergency.report !== null }
          : null,
      },
      decision: {
        approved: counting !== undefined,
        evidence: counting
          ? counting.acts
              .filter((a) => a.step !== 'proposal')
              .map((a) => `${zhName('approvalStep', a.step)}：${a.userName}（${dateIn(a.at, tz)}）`)
              .join('；')
          : '没有经批准的决定审批表',
      },
      documents: docs.map((d) => ({
        title: d.docNo ? `${d.title}（${d.docNo}）` : d.title,
        sealed: true,
        needsService: d.needsService,
        proven: d.served,
      })),
      bundles,
      unsealedSessions: c.sessions.filter((s) => s.status === 'ended').length,
      sessions: c.sessions
        .filter((s) => s.status === 'ended' || s.status === 'sealed')
        .map((s) => ({
          label: `${zhName('sessionKind', s.kind)}（${dateIn(s.startedAt ?? s.createdAt, tz)}）`,
          items: this.session(s.id).items,
        })),
      retention: this.ports.retention.status(caseId).state,
      filing: {
        overdue: clock.status === 'overdue' || clock.status === 'filed_late',
        evidence:
          clock.deadline === null
            ? '案件尚未办结'
            : `归档期限 ${dateTimeIn(clock.deadline, tz, false)}`,
      },
    });
    return {
      schema: COMPLIANCE_SCHEMA,
      subject: { kind: 'case', caseId },
      at: new Date(now).toISOString(),
      items,
    };
  }
}
