/**
 * The filing act (立卷归档, R5.2): the case file's table of contents in time order (documents,
 * 笔录, A/V with their bundle hashes, disc serials and storage places), checked for what
 * still blocks filing, reviewed and signed in person, printed as a signed PDF beside the
 * case's documents, and the case archived in the same step. The deadline board shows every
 * case not yet filed against its clock.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseFileIndexDto } from '../../../shared/api/discs';
import type { Handwriting } from '../../platform/pdf/model';
import type { Signer } from '../../platform/pki';
import type { FilingBlocker, FilingBoardRowDto, FilingStatusDto } from '../../../shared/api/filing';
import type { MethodParsed } from '../../../shared/api';
import type { CaseDetailDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { zhName } from '../../../shared/names-zh';
import { filingClock, type FilingClock } from '../../../shared/rules/filing';
import { writeFileAtomicSync } from '../../platform/fs';
import { canonicalSha256 } from '../../platform/pdf/canonical';
import { handwritingFromInput } from '../../platform/pdf/handwriting-input';
import { storeHandwriting } from '../../platform/pdf/stored-handwriting';
import { loadOrCreateIdentity } from '../../platform/pki';
import type { CasesService } from '../cases';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import type { DocumentsService } from '../documents';
import { userDisplayName, userIdOfOfficer } from '../users';
import type { RetentionService } from './retention';
import { caseFilingClock } from './clock';
import { filingOf, insertFiling } from './store';

/** The filing act's sign-off printed under the table of contents (立卷人, 审核人). */
export interface FilingSignOff {
  compiledBy: string;
  reviewedBy: string;
  handwriting: Handwriting;
  at: number;
  signer: Signer;
}

export interface FilingPorts {
  cases: Pick<CasesService, 'get' | 'list' | 'archive'>;
  /** The case file index (the discs feature keeps it with the discs it lists). */
  index(caseId: number): Promise<CaseFileIndexDto>;
  policy(): { filingDays: number; warnDays: number };
  /** Prints the index (the discs feature's case-file index PDF), signed off. */
  print(idx: CaseFileIndexDto, signOff: FilingSignOff): Promise<Uint8Array>;
  documents: Pick<DocumentsService, 'list'>;
  retention: Pick<RetentionService, 'status'>;
}

/** What the reviewer signs: the entries, not when the index was generated. */
function tocHash(idx: CaseFileIndexDto): string {
  return canonicalSha256({ caseId: idx.caseId, caseNo: idx.caseNo, entries: idx.entries });
}

export class FilingService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: FilingPorts,
    private readonly opts: { dataDir: string; identityDir: string },
  ) {}

  /** Everything that keeps the case from being filed now, in words a clerk acts on. */
  blockers(c: CaseDetailDto, matterEndedAt: number | null): FilingBlocker[] {
    const out: FilingBlocker[] = [];
    if (c.phase === 'archiving') return [{ code: 'filed', detail: '本案已立卷归档' }];
    if (c.phase !== 'service')
      out.push({
        code: 'phase',
        detail: `案件处于“${zhName('phase', c.phase)}”阶段；送达执行完毕后立卷归档`,
      });
    if (matterEndedAt === null)
      out.push({ code: 'no_decision', detail: '尚未制发处理决定或记录执行情况，案件尚未办结' });
    for (const d of this.ports.documents.list(c.id)) {
      if (!d.needsService || d.served) continue;
      const name = d.docNo ? `${d.title}（${d.docNo}）` : d.title;
      if (d.services.length === 0) out.push({ code: 'not_served', detail: `${name}尚未送达` });
      else
        out.push({
          code: 'no_proof',
          detail: `${name}的送达尚缺证明：${d.services
            .map((s) =>
              s.proof.proven
                ? ''
                : s.proof.missing === 'receipt'
                  ? `${zhName('serviceMethod', s.method)}待附回执`
                  : `公告期未满`,
            )
            .filter(Boolean)
            .join('；')}`,
        });
    }
    for (const s of c.sessions)
      if (s.status === 'ended' || s.status === 'recording' || s.status === 'interrupted')
        out.push({
          code: 'unsealed_session',
          detail: `${zhName('sessionKind', s.kind)}（${s.place}）的音像记录尚未封存`,
        });
    if (this.ports.retention.status(c.id).state === 'proposed')
      out.push({
        code: 'retention_undecided',
        detail: '本案有建议长期保存的情形，须先由法制审核人员确认或不予确认',
      });
    return out;
  }

  /** The case's filing clock now (without building its index). */
  clock(caseId: number): FilingClock {
    return caseFilingClock(this.deps.db, caseId, this.ports.policy(), this.deps.now());
  }

  async status(caseId: number): Promise<FilingStatusDto> {
    const c = this.ports.cases.get(caseId);
    const idx = await this.ports.index(caseId);
    const f = filingOf(this.deps.db, caseId);
    const name = (id: number) => userDisplayName(this.deps.db, id) ?? `#${id}`;
    return {
      caseId,
      caseNo: c.caseNo,
      clock: this.clock(caseId),
      filingDays: idx.filingDays,
      blockers: this.blockers(c, idx.matterEndedAt),
      toc: idx.entries,
      tocSha256: tocHash(idx),
      filing: f
        ? {
            filedAt: f.filed_at,
            reviewedBy: name(f.reviewed_by),
            compiledBy: name(f.compiled_by),
            tocSha256: f.toc_sha256,
            pdfSha256: f.pdf_sha256,
          }
        : null,
    };
  }

  /** The folder the filed case's documents and table of contents are kept in. */
  caseFolder(caseId: number): string {
    return join(this.opts.dataDir, 'case-files', String(caseId));
  }

  async file(caller: Caller, input: MethodParsed<'filing.file'>): Promise<FilingStatusDto> {
    const user = requireUser(caller);
    const c = this.ports.cases.get(input.caseId);
    const idx = await this.ports.index(c.id);
    const blockers = this.blockers(c, idx.matterEndedAt);
    if (blockers.length)
      throw new AppError(
        'RULE_VIOLATION',
        `暂不能归档：${blockers.map((b) => b.detail).join('；')}`,
      );
    const hash = tocHash(idx);
    if (hash !== input.tocSha256)
      throw new AppError('CONFLICT', '卷内目录在审核后有变化，请重新审核后签署');
    const lead = c.officers.find((o) => o.lead) ?? c.officers[0];
    const compiledBy = (lead && userIdOfOfficer(this.deps.db, lead.officerId)) ?? user.id;
    const at = this.deps.now();
    const handwriting = handwritingFromInput(input.handwriting, at, at);
    const identity = await loadOrCreateIdentity(this.opts.identityDir);
    // The printed index says how the filing stands once this act is done.
    const clock = filingClock(idx.matterEndedAt, at, this.ports.policy(), at);
    const pdf = Buffer.from(
      await this.ports.print(
        { ...idx, filedAt: at, deadlineStatus: clock.status },
        {
          compiledBy: lead?.name ?? user.displayName,
          reviewedBy: user.displayName,
          handwriting,
          at,
          signer: identity.signer,
        },
      ),
    );
    mkdirSync(this.caseFolder(c.id), { recursive: true });
    const rel = join('case-files', String(c.id), '卷内目录.pdf');
    writeFileAtomicSync(join(this.opts.dataDir, rel), pdf);
    const pdfSha = createHash('sha256').update(pdf).digest('hex');
    const { db } = this.deps;
    db.transaction(() => {
      insertFiling(db, {
        case_id: c.id,
        toc: JSON.stringify(idx.entries),
        toc_sha256: hash,
        pdf_path: rel,
        pdf_sha256: pdfSha,
        compiled_by: compiledBy,
        reviewed_by: user.id,
        presence: 'signed_in',
        handwriting: storeHandwriting(handwriting),
        filed_at: at,
      });
      this.ports.cases.archive(user, c.id, `立卷归档（卷内目录 SHA-256 ${pdfSha.slice(0, 16)}…）`);
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'filing.filed',
        entity: 'case',
        entityId: c.id,
        caseId: c.id,
        data: {
          tocSha256: hash,
          pdfSha256: pdfSha,
          entries: idx.entries.length,
          matterEndedAt: idx.matterEndedAt,
          deadline: idx.deadline,
        },
      });
    })();
    this.deps.emit('case.changed', { caseId: c.id });
    this.deps.emit('filing.changed', { caseId: c.id });
    return this.status(c.id);
  }

  /** Every case not yet filed, the most urgent first. */
  board(): FilingBoardRowDto[] {
    const rows: FilingBoardRowDto[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = this.ports.cases.list({ limit: 200, offset });
      for (const s of page.items) {
        if (s.phase === 'archiving') continue;
        const clock = this.clock(s.id);
        rows.push({
          caseId: s.id,
          caseNo: s.caseNo,
          cause: s.cause,
          phase: s.phase,
          clock,
          blockers: this.blockers(this.ports.cases.get(s.id), clock.matterEndedAt).length,
        });
      }
      if (offset + 200 >= page.total) break;
    }
    const rank = { overdue: 0, warn: 1, ok: 2, not_started: 3, filed: 4, filed_late: 4 };
    return rows.sort(
      (a, b) =>
        rank[a.clock.status] - rank[b.clock.status] ||
        (a.clock.deadline ?? Infinity) - (b.clock.deadline ?? Infinity),
    );
  }
}
