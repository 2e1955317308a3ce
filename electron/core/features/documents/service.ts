/**
 * Issued documents (执法文书, R2.1): filled from the case, numbered (文号) per kind and year,
 * dated, sealed with the agency's seal image and PAdES-signed, from templates an agency edits
 * without code. A decision is issued only on an approved decision form (R1.4).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AgencyIdentityDto,
  DocumentTemplateDto,
  ExecutionDto,
  IssuedDocumentDto,
} from '../../../shared/api/documents';
import type { PdfDto } from '../../../shared/api/discs';
import type { MethodParsed } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { zhName } from '../../../shared/names-zh';
import { wallClock } from '../../../shared/time';
import { writeFileAtomicSync } from '../../platform/fs';
import { renderIssuedDocument } from '../../platform/pdf/document';
import { loadDocumentTemplates, type DocumentTemplate } from '../../platform/pdf/document-template';
import { defaultResourcesDir } from '../../platform/pdf/fonts';
import { pngSize } from '../../platform/pdf/seal-image';
import { loadOrCreateIdentity } from '../../platform/pki';
import type { CasesService } from '../cases';
import { requireUser, type Caller, type EvidenceGuard, type ServiceDeps } from '../context';
import { userDisplayName } from '../users';
import type { ServiceRecords } from './serving';
import {
  agencyIdentityRow,
  documentRow,
  documentRowsOfCase,
  executionRowsOf,
  insertDocument,
  nextDocSeq,
  writeAgencyIdentity,
  type DocumentRow,
} from './store';

export interface DocumentPorts {
  cases: Pick<CasesService, 'get'>;
  guard: Pick<EvidenceGuard, 'requireTeam' | 'require'>;
  /** Whether an approved decision form lets a decision be issued (R1.4). */
  decisionApproved(caseId: number): boolean;
}

export interface DocumentOptions {
  dataDir: string;
  identityDir: string;
  resourcesDir?: string | undefined;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export class DocumentsService {
  records!: ServiceRecords;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: DocumentPorts,
    private readonly opts: DocumentOptions,
  ) {}

  private sealPath(): string {
    return join(this.opts.dataDir, 'agency', 'seal.png');
  }

  /** The seal image as set, checked against the hash recorded when it was set. */
  seal(): Buffer | null {
    const row = agencyIdentityRow(this.deps.db);
    if (!row?.seal_sha256) return null;
    const path = this.sealPath();
    const png = existsSync(path) ? readFileSync(path) : null;
    if (!png || sha256(png) !== row.seal_sha256)
      throw new AppError(
        'CONFLICT',
        '印章图像与设置时登记的不一致（文件缺失或被替换），请系统管理员重新设置印章',
      );
    return png;
  }

  identity(): AgencyIdentityDto {
    const row = agencyIdentityRow(this.deps.db);
    const seal = row?.seal_sha256 ? this.seal() : null;
    return {
      name: row?.name ?? null,
      shortName: row?.short_name ?? null,
      sealSha256: row?.seal_sha256 ?? null,
      seal: seal ? seal.toString('base64') : null,
    };
  }

  setIdentity(caller: Caller, input: MethodParsed<'documents.setIdentity'>): AgencyIdentityDto {
    const user = requireUser(caller);
    const { db } = this.deps;
    let sealSha = agencyIdentityRow(db)?.seal_sha256 ?? null;
    if (input.seal !== undefined) {
      const png = Buffer.from(input.seal, 'base64');
      let size: { width: number; height: number };
      try {
        size = pngSize(png);
      } catch {
        throw new AppError('INVALID_INPUT', '印章须为 PNG 图像', [
          { path: 'seal', message: 'not a PNG' },
        ]);
      }
      if (size.width < 100 || size.height < 100 || size.width > 2000 || size.height > 2000)
        throw new AppError('INVALID_INPUT', '印章图像的边长应在 100 至 2000 像素之间', [
          { path: 'seal', message: 'size' },
        ]);
      mkdirSync(join(this.opts.dataDir, 'agency'), { recursive: true });
      writeFileAtomicSync(this.sealPath(), png);
      sealSha = sha256(png);
    }
    db.transaction(() => {
      const at = this.deps.now();
      writeAgencyIdentity(db, {
        name: input.name,
        short_name: input.shortName,
        seal_sha256: sealSha,
        set_by: user.id,
        set_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'document.identity_set',
        entity: 'agency_identity',
        entityId: 1,
        caseId: null,
        data: { name: input.name, shortName: input.shortName, sealSha256: sealSha },
      });
    })();
    return this.identity();
  }

  private templatesByKind(): Record<string, DocumentTemplate> {
    return loadDocumentTemplates(this.opts.resourcesDir ?? defaultResourcesDir());
  }

  template(kind: string): DocumentTemplate {
    const t = this.templatesByKind()[kind];
    if (!t) throw new AppError('NOT_FOUND', `没有文书模板“${kind}”`);
    return t;
  }

  templates(): DocumentTemplateDto[] {
    return Object.values(this.templatesByKind())
      .filter((t) => t.kind !== 'service-receipt')
      .map((t) => ({
        kind: t.kind,
        title: t.title,
        docNoPrefix: t.docNoPrefix,
        needsService: t.service,
        endsMatter: t.endsMatter,
        fields: t.fields.map((f) => ({
          key: f.key,
          label: f.label,
          multiline: f.multiline ?? false,
          required: f.required ?? false,
        })),
      }));
  }

  /** The fields a template asks for that the case already knows. */
  prefill(caseId: number, kind: string): Record<string, string> {
    const t = this.template(kind);
    const c = this.ports.cases.get(caseId);
    const party = c.parties[0];
    const known: Record<string, string> = {
      caseNo: c.caseNo,
      cause: c.cause,
      partyName: c.parties.map((p) => p.name).join('、'),
      partyIdentity: party ? `${zhName('idType', party.idType)} ${party.idNumber}` : '',
      partyAddress: party?.address ?? '',
      source: c.origin.source ?? zhName('originKind', c.origin.kind),
      officers: c.officers.map((o) => `${o.name}（执法证号 ${o.certificateNo}）`).join('、'),
    };
    return Object.fromEntries(
      t.fields.filter((f) => known[f.key]).map((f) => [f.key, known[f.key]!]),
    );
  }

  async issue(caller: Caller, input: MethodParsed<'documents.issue'>): Promise<IssuedDocumentDto> {
    const user = requireUser(caller);
    const t = this.template(input.template);
    const c = this.ports.cases.get(input.caseId);
    this.ports.guard.requireTeam(caller, {
      caseId: c.id,
      what: `制发${t.title}`,
      entity: 'case',
      entityId: c.id,
    });
    if (t.kind === 'service-receipt')
      throw new AppError('INVALID_INPUT', '送达回证在送达时生成，不单独制发');
    if (t.endsMatter && !this.ports.decisionApproved(c.id))
      throw new AppError(
        'RULE_VIOLATION',
        `${t.title}须在决定审批表经法制审核、负责人批准后制发 (R1.4)`,
      );
    const agency = agencyIdentityRow(this.deps.db);
    const seal = this.seal();
    if (!agency || !seal)
      throw new AppError(
        'CONFLICT',
        '尚未设置本机关的名称、简称和电子印章：请系统管理员在“系统设置 → 机关与印章”中设置',
      );
    const tz = this.deps.timeZone();
    const at = this.deps.now();
    const year = wallClock(at, tz).year;
    const prefix = t.docNoPrefix === null ? null : `${agency.short_name}${t.docNoPrefix}`;
    // Numbered at the moment of issue; the number is taken again inside the insert's
    // transaction so two documents issued at once never share one.
    const numberOf = () => {
      if (prefix === null) return { docNo: null, seq: null };
      const seq = nextDocSeq(this.deps.db, prefix, year);
      return { docNo: `${prefix}〔${year}〕${seq}号`, seq };
    };
    const planned = numberOf();
    const identity = await loadOrCreateIdentity(this.opts.identityDir);
    let printed: { pdf: Buffer; sha256: string };
    try {
      printed = await renderIssuedDocument({
        template: t,
        agency: agency.name,
        docNo: planned.docNo,
        values: input.values,
        issuedAt: at,
        timeZone: tz,
        seal,
        signer: identity.signer,
      });
    } catch (e) {
      throw new AppError('INVALID_INPUT', e instanceof Error ? e.message : String(e));
    }
    const dir = join('case-files', String(c.id), 'documents');
    mkdirSync(join(this.opts.dataDir, dir), { recursive: true });
    const rel = join(dir, `${t.kind}-${at}.pdf`);
    writeFileAtomicSync(join(this.opts.dataDir, rel), printed.pdf);
    const { db } = this.deps;
    const id = db.transaction(() => {
      if (numberOf().docNo !== planned.docNo)
        throw new AppError('CONFLICT', '文号已被同时制发的文书占用，请重新制发');
      const id = insertDocument(db, {
        case_id: c.id,
        template: t.kind,
        title: t.title,
        doc_no: planned.docNo,
        doc_year: planned.seq === null ? null : year,
        doc_seq: planned.seq,
        fields: JSON.stringify(input.values),
        needs_service: t.service ? 1 : 0,
        ends_matter: t.endsMatter ? 1 : 0,
        pdf_path: rel,
        pdf_sha256: printed.sha256,
        seal_sha256: agency.seal_sha256,
        issued_by: user.id,
        issued_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'document.issued',
        entity: 'issued_document',
        entityId: id,
        caseId: c.id,
        data: { template: t.kind, title: t.title, docNo: planned.docNo, sha256: printed.sha256 },
      });
      return id;
    })();
    this.deps.emit('documents.changed', { caseId: c.id });
    return this.dto(this.row(id));
  }

  row(id: number): DocumentRow {
    const row = documentRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `没有编号为 ${id} 的文书`);
    return row;
  }

  dto(row: DocumentRow): IssuedDocumentDto {
    const services = this.records.ofDocument(row.id);
    const name = (id: number) => userDisplayName(this.deps.db, id) ?? `#${id}`;
    return {
      id: row.id,
      caseId: row.case_id,
      template: row.template,
      title: row.title,
      docNo: row.doc_no,
      values: JSON.parse(row.fields) as Record<string, string>,
      needsService: row.needs_service === 1,
      endsMatter: row.ends_matter === 1,
      sha256: row.pdf_sha256,
      issuedBy: name(row.issued_by),
      issuedAt: row.issued_at,
      services,
      served: row.needs_service === 0 || services.some((s) => s.proof.proven),
      executions: executionRowsOf(this.deps.db, row.id).map((e): ExecutionDto => ({
        id: e.id,
        documentId: e.document_id,
        result: e.result,
        detail: e.detail,
        executedAt: e.executed_at,
        recordedBy: name(e.recorded_by),
      })),
    };
  }

  list(caseId: number): IssuedDocumentDto[] {
    this.ports.cases.get(caseId);
    return documentRowsOfCase(this.deps.db, caseId).map((r) => this.dto(r));
  }

  /** The issued PDF: part of the case file, read by its team or under a grant (R6.1). */
  pdf(caller: Caller, documentId: number): PdfDto {
    const row = this.row(documentId);
    this.ports.guard.require(caller, {
      caseId: row.case_id,
      mode: 'view',
      sessionIds: [],
      what: `查看${row.title}`,
      entity: 'issued_document',
      entityId: row.id,
    });
    const path = join(this.opts.dataDir, row.pdf_path);
    const bytes = readFileSync(path);
    if (sha256(bytes) !== row.pdf_sha256)
      throw new AppError('CONFLICT', `${row.title}的文件与制发时登记的不一致`);
    const name = (row.doc_no ?? `${row.title}-${row.id}`).replace(/[\\/:*?"<>|]/g, '_');
    return { fileName: `${row.title}-${name}.pdf`, data: bytes.toString('base64'), savedAt: path };
  }
}
