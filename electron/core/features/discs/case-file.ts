/**
 * The case file index (R5.2): every record of a case in time order (opening, phases,
 * approvals, sessions with their media and signed transcripts, sealed bundles, their
 * replicas, evidence discs), the filing deadline from the policy, and its PDF. Each record
 * is read through the feature that owns it.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { CaseFileEntryDto, CaseFileIndexDto, PdfDto } from '../../../shared/api/discs';
import { MEDIA } from '../../../shared/rules/disc-plan';
import { requireUser, type Caller } from '../context';
import { approvalsOfCase, phaseChangesOfCase } from '../cases';
import { approvalPrintsOfCase } from '../approvals';
import { documentRowsOfCase, executionEntriesOf, serviceEntriesOf } from '../documents';
import { caseFilingClock, filingOf } from '../filing';
import { mediaSegmentTotals } from '../recording';
import { officerCard } from '../registers';
import { sealedBundleRefs } from '../sealing';
import { dateIn, dateTimeIn, timeIn } from '../../../shared/time';
import { zhName } from '../../../shared/names-zh';
import { officerIdsOfSession, sessionsOfCase } from '../sessions';
import { finishedRecordOfSession } from '../signing';
import { replicasOfBag } from '../storage';
import type { DiscBundles } from './bundles';
import { caseOf, type DiscsEnv } from './env';
import { renderCaseFileIndex } from './label-pdf';
import type { DiscRecords } from './records';
import { readPolicy, writePolicy } from './store';

export class CaseFile {
  constructor(
    private readonly env: DiscsEnv,
    private readonly bundles: DiscBundles,
    private readonly records: DiscRecords,
  ) {}

  /** Days from the end of the matter to filing, and how many before it the index warns. */
  policy(): { filingDays: number; warnDays: number } {
    return readPolicy(this.env.deps.db);
  }

  setPolicy(
    caller: Caller,
    input: { filingDays: number; warnDays: number },
  ): { filingDays: number; warnDays: number } {
    const user = requireUser(caller);
    const { db, audit, now } = this.env.deps;
    db.transaction(() => {
      const at = now();
      writePolicy(db, input, user.id, at);
      audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'case_file.policy',
        entity: 'case_file_policy',
        entityId: 1,
        caseId: null,
        data: input,
      });
    })();
    return this.policy();
  }

  /** The sessions of the case with their officers, media and signed transcripts. */
  private sessionEntries(caseId: number): CaseFileEntryDto[] {
    const { db } = this.env.deps;
    const { dataDir } = this.env.opts;
    const tz = this.env.tz;
    const entries: CaseFileEntryDto[] = [];
    for (const s of sessionsOfCase(db, caseId)) {
      const officers = officerIdsOfSession(db, s.id)
        .map((id) => officerCard(db, id))
        .filter((o) => o !== undefined)
        .map((o) => `${o.name}（${o.certificateNo}）`)
        .join('、');
      const seg = mediaSegmentTotals(db, s.id);
      const location =
        seg.count > 0
          ? `${join(dataDir, 'sessions', String(s.id), 'media')}（${seg.count} 个片段，${seg.bytes} 字节）`
          : null;
      entries.push({
        at: s.startedAt ?? s.scheduledAt ?? s.createdAt,
        kind: 'session',
        title: `${zhName('sessionKind', s.kind)} · ${s.place}${s.room ? ` ${s.room}` : ''}`,
        detail: `${zhName('sessionStatus', s.status)}${s.startedAt && s.endedAt ? `，${timeIn(s.startedAt, tz)}–${timeIn(s.endedAt, tz)}` : ''}；执法人员 ${officers || '—'}`,
        location,
      });
      const sg = finishedRecordOfSession(db, s.id);
      if (sg)
        entries.push({
          at: sg.finishedAt,
          kind: 'transcript',
          title: `笔录（${sg.pageCount} 页）`,
          detail: `SHA-256 ${sg.pdfSha256}`,
          location: join(dataDir, sg.pdfPath),
        });
    }
    return entries;
  }

  /**
   * The approval forms, issued documents, their service and the executions, each with the
   * signed PDF it is kept as.
   */
  private decisionEntries(caseId: number): CaseFileEntryDto[] {
    const { db } = this.env.deps;
    const { dataDir } = this.env.opts;
    const tz = this.env.tz;
    const entries: CaseFileEntryDto[] = [];
    for (const a of approvalPrintsOfCase(db, caseId))
      entries.push({
        at: a.at,
        kind: 'approval',
        title: zhName('approvalFormKind', a.kind),
        detail: `SHA-256 ${a.sha256}`,
        location: join(dataDir, a.path),
      });
    for (const d of documentRowsOfCase(db, caseId)) {
      entries.push({
        at: d.issued_at,
        kind: 'document',
        title: d.doc_no ? `${d.title}（${d.doc_no}）` : d.title,
        detail: `SHA-256 ${d.pdf_sha256}`,
        location: join(dataDir, d.pdf_path),
      });
      for (const s of serviceEntriesOf(db, d.id))
        entries.push({
          // Entered to the minute or second: never listed before the document it serves.
          at: Math.max(s.servedAt, d.issued_at),
          kind: 'service',
          title: `${d.title} · ${zhName('serviceMethod', s.method)}`,
          detail: `受送达人 ${s.recipient}，${dateTimeIn(s.servedAt, tz, false)}${s.proof ? `；${s.proof}` : ''}`,
          location: s.path ? join(dataDir, s.path) : null,
        });
      for (const e of executionEntriesOf(db, d.id))
        entries.push({
          at: Math.max(e.executedAt, d.issued_at),
          kind: 'execution',
          title: `执行情况：${zhName('executionResult', e.result)}`,
          detail: e.detail,
          location: null,
        });
    }
    return entries;
  }

  /** The sealed bundles of the case and where each was replicated. */
  private async bundleEntries(caseId: number): Promise<CaseFileEntryDto[]> {
    const { db } = this.env.deps;
    const entries: CaseFileEntryDto[] = [];
    const sealed = sealedBundleRefs(db, { caseId });
    for (const b of (await this.bundles.sources(caseId)).values()) {
      const madeAt = Date.parse(b.info['Made-At']?.[0] ?? '');
      entries.push({
        at: Number.isFinite(madeAt) ? madeAt : b.recordingStart,
        kind: 'bundle',
        title: `封存包 ${b.name}`,
        detail: `${b.files.length} 个文件；标签清单 SHA-512 ${b.tagManifestSha512.slice(0, 32)}…`,
        location: b.path,
      });
      const bagIds = sealed.filter((r) => r.bagName === b.name).map((r) => r.bagId);
      for (const j of replicasOfBag(db, { bagIds, bagPath: b.path }))
        entries.push({
          at: j.verifiedAt ?? j.deadlineAt,
          kind: 'replica',
          title: `异地副本 ${b.name}`,
          detail:
            j.state === 'stored'
              ? '已读回核验'
              : `待存储（期限 ${dateTimeIn(j.deadlineAt, this.env.tz, false)}）`,
          location: `${j.target}（${j.kind}）:${j.remoteName}`,
        });
    }
    return entries;
  }

  /** The evidence discs made for the case. */
  private discEntries(caseId: number): CaseFileEntryDto[] {
    const entries: CaseFileEntryDto[] = [];
    for (const s of this.records.list(caseId))
      for (const d of s.discs)
        entries.push({
          at: d.madeAt,
          kind: 'disc',
          title: `证据光盘 ${d.serial}`,
          detail: `${MEDIA[d.medium].label}；第 ${d.discNumber}/${s.images.length} 张，副本 ${d.copyNumber}/${s.copies}；${d.result === 'verified' ? '核验通过' : d.result === 'failed' ? '核验失败' : '未核验'}；${
            s.images
              .find((i) => i.discNumber === d.discNumber)
              ?.bundles.map((b) => b.name)
              .join('、') ?? ''
          }`,
          location: d.kind === 'image' ? d.imagePath : `光盘 ${d.serial}`,
        });
    return entries;
  }

  /** The case file index (R5.2): every record of the case in time order, and the deadline. */
  async index(caseId: number): Promise<CaseFileIndexDto> {
    const { db, now } = this.env.deps;
    const c = caseOf(this.env, caseId);
    const entries: CaseFileEntryDto[] = [];
    entries.push({
      at: c.createdAt,
      kind: 'case-opened',
      title: `立案 ${c.caseNo}`,
      detail: c.cause,
      location: null,
    });
    for (const p of phaseChangesOfCase(db, caseId))
      entries.push({
        at: p.at,
        kind: 'phase',
        title: `${zhName('phase', p.fromPhase)} → ${zhName('phase', p.toPhase)}`,
        detail: p.note ?? '',
        location: null,
      });
    for (const a of approvalsOfCase(db, caseId))
      entries.push({
        at: a.decidedAt,
        kind: 'approval',
        title: `${zhName('approvalRole', a.role)}意见：${zhName('approvalDecision', a.decision)}`,
        detail: a.opinion,
        location: null,
      });
    entries.push(...this.decisionEntries(caseId));
    entries.push(...this.sessionEntries(caseId));
    entries.push(...(await this.bundleEntries(caseId)));
    entries.push(...this.discEntries(caseId));
    entries.sort((a, b) => (a.at ?? Number.MAX_SAFE_INTEGER) - (b.at ?? Number.MAX_SAFE_INTEGER));
    const policy = this.policy();
    const t = now();
    const clock = caseFilingClock(db, caseId, policy, t);
    const filedAt = filingOf(db, caseId)?.filed_at ?? null;
    const { matterEndedAt, deadline } = clock;
    const deadlineStatus = clock.status;
    return {
      caseId,
      caseNo: c.caseNo,
      cause: c.cause,
      matterEndedAt,
      filingDays: policy.filingDays,
      warnDays: policy.warnDays,
      deadline,
      deadlineStatus,
      filedAt,
      entries,
      generatedAt: t,
    };
  }

  /** The case file index as a PDF, saved under `case-files/<case>/`. */
  async pdf(caseId: number): Promise<PdfDto> {
    const idx = await this.index(caseId);
    const pdf = await renderCaseFileIndex(idx, { timeZone: this.env.tz });
    const dir = join(this.env.opts.dataDir, 'case-files', String(caseId));
    await fsp.mkdir(dir, { recursive: true });
    const fileName = `案卷目录-${idx.caseNo.replace(/[\\/:*?"<>|]/g, '_')}-${dateIn(idx.generatedAt, this.env.tz)}.pdf`;
    const savedAt = join(dir, fileName);
    await fsp.writeFile(savedAt, pdf);
    return { fileName, data: Buffer.from(pdf).toString('base64'), savedAt };
  }
}
