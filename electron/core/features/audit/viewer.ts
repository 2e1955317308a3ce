/**
 * The audit viewer for the legal-affairs office and administrators: the trail filtered by
 * case, person, kind of act and time, paged newest first, and exported as CSV. Reading the
 * trail is for supervisors (the contract's roles); exporting it is itself recorded.
 */
import { zhActionName, zhActorName, zhEntityName } from '../../../shared/audit-actions';
import type { AuditPageDto } from '../../../shared/api/audit';
import type { AuditEventDto } from '../../../shared/domain';
import { dateIn, dateTimeIn } from '../../../shared/time';
import type { AuditSearch } from '../../platform/audit';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { userNames } from '../users';
import { caseHeader, caseIdByNo } from '../cases';
import { AppError } from '../../../shared/errors';
import { loadOrCreateIdentity } from '../../platform/pki';
import { csvField } from '../../platform/csv';
import type { ChainCheck } from './anchors';
import { renderCaseAuditReport } from './report';

/** The most entries one CSV holds; a narrower filter gets the rest. */
export const CSV_MAX_ROWS = 100_000;

type Filter = Omit<AuditSearch, 'before' | 'limit'>;
/** The filter as the contract takes it: a case may be named by its number. */
type AskedFilter = Filter & { caseNo?: string | undefined };

export class AuditViewer {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly report: {
      /** The chain's check against its anchors. */
      verify: () => Promise<ChainCheck>;
      /** Where the workstation's signing identity lives. */
      identityDir: string;
    },
  ) {}

  /** Every entry about a case, oldest first, as a signed PDF (and an entry of its own). */
  async caseReport(
    caller: Caller,
    caseId: number,
  ): Promise<{ fileName: string; data: string; entries: number }> {
    const user = requireUser(caller);
    const c = caseHeader(this.deps.db, caseId);
    if (!c) throw new AppError('NOT_FOUND', `no case ${caseId}`);
    const { entries } = this.all({ caseId }, Infinity);
    entries.reverse();
    const at = this.deps.now();
    const tz = this.deps.timeZone();
    const identity = await loadOrCreateIdentity(this.report.identityDir);
    const pdf = await renderCaseAuditReport({
      caseNo: c.caseNo,
      cause: c.cause,
      entries,
      chain: await this.report.verify(),
      generatedAt: at,
      generatedBy: user.displayName,
      timeZone: tz,
      signer: identity.signer,
    });
    this.recordExport(user, at, caseId, { format: 'pdf', entries: entries.length });
    return {
      fileName: `案件操作记录报告-${c.caseNo.replace(/[\\/:*?"<>|]/g, '_')}-${dateIn(at, tz)}.pdf`,
      data: pdf.toString('base64'),
      entries: entries.length,
    };
  }

  /** A copy of the trail leaving the workstation is itself an entry of the trail. */
  private recordExport(
    user: { id: number; displayName: string },
    at: number,
    caseId: number | null,
    data: Record<string, unknown>,
  ): void {
    this.deps.audit.append({
      at,
      actorUserId: user.id,
      actor: user.displayName,
      action: 'audit.exported',
      entity: 'audit',
      entityId: null,
      caseId,
      data,
    });
  }

  /** Every entry the filter finds, newest first, up to `max` (and whether more were left). */
  private all(filter: Filter, max: number): { entries: AuditEventDto[]; truncated: boolean } {
    const entries: AuditEventDto[] = [];
    let before: number | undefined;
    for (;;) {
      const page = this.deps.audit.search({ ...filter, before, limit: 500 });
      entries.push(...page.entries);
      if (entries.length >= max) {
        const truncated = page.next !== null || entries.length > max;
        entries.length = max;
        return { entries, truncated };
      }
      if (page.next === null) return { entries, truncated: false };
      before = page.next;
    }
  }

  /** The filter with a case number turned into its case; NOT_FOUND when no case has it. */
  private resolved<F extends AskedFilter>(asked: F): Omit<F, 'caseNo'> {
    const { caseNo, ...filter } = asked;
    if (caseNo === undefined) return filter;
    const caseId = caseIdByNo(this.deps.db, caseNo);
    if (caseId === undefined)
      throw new AppError('NOT_FOUND', `没有案件编号为“${caseNo}”的案件 no case numbered ${caseNo}`);
    return { ...filter, caseId };
  }

  search(asked: AskedFilter & { before?: number | undefined; limit: number }): AuditPageDto {
    const filter = this.resolved(asked);
    const page = this.deps.audit.search(filter);
    const caseNos: Record<number, string> = {};
    for (const id of new Set(page.entries.map((e) => e.caseId)))
      if (id !== null) {
        const c = caseHeader(this.deps.db, id);
        if (c) caseNos[id] = c.caseNo;
      }
    return { ...page, caseNos, caseId: filter.caseId ?? null };
  }

  people(): { id: number; displayName: string }[] {
    return userNames(this.deps.db);
  }

  csv(
    caller: Caller,
    asked: AskedFilter,
  ): { fileName: string; csv: string; rows: number; truncated: boolean } {
    const user = requireUser(caller);
    const filter = this.resolved(asked);
    const tz = this.deps.timeZone();
    const { entries, truncated } = this.all(filter, CSV_MAX_ROWS);
    const caseNos = new Map<number, string>();
    const caseNo = (id: number | null) => {
      if (id === null) return null;
      if (!caseNos.has(id)) caseNos.set(id, caseHeader(this.deps.db, id)?.caseNo ?? `#${id}`);
      return caseNos.get(id)!;
    };
    const lines = [
      [
        '序号',
        '时间',
        '操作人',
        '操作',
        '操作代码',
        '对象',
        '对象编号',
        '案件编号',
        '内容',
        '校验值',
      ]
        .map(csvField)
        .join(','),
      ...entries.map((e) =>
        [
          e.seq,
          dateTimeIn(e.at, tz),
          zhActorName(e),
          zhActionName(e.action),
          e.action,
          zhEntityName(e.entity),
          e.entityId,
          caseNo(e.caseId),
          JSON.stringify(e.data),
          e.hash,
        ]
          .map(csvField)
          .join(','),
      ),
    ];
    const at = this.deps.now();
    this.recordExport(user, at, filter.caseId ?? null, {
      format: 'csv',
      filter,
      rows: entries.length,
      truncated,
    });
    return {
      fileName: `审计日志-${dateIn(at, tz)}.csv`,
      // A byte-order mark and CRLF: spreadsheets on the agency's desktops open it as UTF-8.
      csv: `\ufeff${lines.join('\r\n')}\r\n`,
      rows: entries.length,
      truncated,
    };
  }
}
