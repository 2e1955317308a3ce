/**
 * Service of issued documents (送达, R1.5), each method with what it needs: the recipient's
 * signature for direct service, a witness's signature and an A/V record for leaving it at the
 * premises (留置, R3.2), the tracking number and later the receipt for postal service, the
 * entrusted agency and its returned 送达回证, the notice and its period for public notice.
 * Direct and left service print the 送达回证 with the signatures, sealed and signed; the
 * execution of a decision is recorded with its result.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ExecutionDto, ServiceInput, ServiceRecordDto } from '../../../shared/api/documents';
import type { PdfDto } from '../../../shared/api/discs';
import type { MethodParsed } from '../../../shared/api';
import type { SessionDto } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { zhName } from '../../../shared/names-zh';
import { serviceProof, takesReceipt } from '../../../shared/rules/service';
import { dateTimeIn } from '../../../shared/time';
import { writeFileAtomicSync } from '../../platform/fs';
import { renderIssuedDocument } from '../../platform/pdf/document';
import { handwritingFromInput } from '../../platform/pdf/handwriting-input';
import { readHandwriting, storeHandwriting } from '../../platform/pdf/stored-handwriting';
import { loadOrCreateIdentity } from '../../platform/pki';
import { officerCard } from '../registers';
import { requireUser, type Caller, type ServiceDeps } from '../context';
import { userDisplayName } from '../users';
import type { DocumentOptions, DocumentPorts, DocumentsService } from './service';
import {
  agencyIdentityRow,
  insertExecution,
  insertProof,
  insertService,
  proofRowsOf,
  serviceRow,
  serviceRowsOf,
  type ServiceRow,
} from './store';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface ServiceData {
  recipient: string;
  place: string;
  servers: string[];
  note: string | null;
  entrustedTo?: string;
  carrier?: string;
  trackingNo?: string;
  refusal?: string;
  witness?: { name: string; unit: string | null };
  publishedIn?: string;
  why?: string;
  days?: number;
}

export class ServiceRecords {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly ports: DocumentPorts & { sessions: { get(id: number): SessionDto } },
    private readonly documents: DocumentsService,
    private readonly opts: DocumentOptions,
  ) {}

  private dto(row: ServiceRow): ServiceRecordDto {
    const d = JSON.parse(row.data) as ServiceData;
    const proofs = proofRowsOf(this.deps.db, row.id);
    const { recipient, place, servers, ...detail } = d;
    return {
      id: row.id,
      documentId: row.document_id,
      method: row.method,
      recipient,
      place,
      servedAt: row.served_at,
      servers,
      detail,
      sessionId: row.session_id,
      receiptPdf: row.receipt_sha256 ? { sha256: row.receipt_sha256 } : null,
      receipts: proofs.map((p) => ({
        id: p.id,
        fileName: p.file_name,
        sha256: p.file_sha256,
        receivedAt: p.received_at,
      })),
      proof: serviceProof(
        {
          method: row.method,
          servedAt: row.served_at,
          receiptReceivedAt: proofs[0]?.received_at ?? null,
          ...(d.days !== undefined ? { noticeDays: d.days } : {}),
        },
        this.deps.now(),
      ),
      recordedAt: row.recorded_at,
    };
  }

  ofDocument(documentId: number): ServiceRecordDto[] {
    return serviceRowsOf(this.deps.db, documentId).map((r) => this.dto(r));
  }

  private record(id: number): ServiceRow {
    const row = serviceRow(this.deps.db, id);
    if (!row) throw new AppError('NOT_FOUND', `没有编号为 ${id} 的送达记录`);
    return row;
  }

  /** Checks what the method needs beyond its fields: officers of the case, a recorded session. */
  private check(input: ServiceInput, caseId: number, issuedAt: number): SessionDto | null {
    const c = this.ports.cases.get(caseId);
    const team = new Set(c.officers.map((o) => o.officerId));
    const strangers = input.serverOfficerIds.filter((id) => !team.has(id));
    if (strangers.length)
      throw new AppError('FORBIDDEN', `送达人须为本案执法人员：${strangers.join('、')} 不是`);
    if (input.servedAt > this.deps.now() + 60_000)
      throw new AppError('INVALID_INPUT', '送达时间不能晚于现在', [
        { path: 'servedAt', message: 'in the future' },
      ]);
    // Times are entered to the minute: the minute of issue counts as after it.
    if (input.servedAt < issuedAt - 60_000)
      throw new AppError('INVALID_INPUT', '送达时间不能早于文书制发时间', [
        { path: 'servedAt', message: 'before the issue' },
      ]);
    if (input.method !== 'left') return null;
    const s = this.ports.sessions.get(input.sessionId);
    if (s.caseId !== caseId)
      throw new AppError('INVALID_INPUT', '留置送达的音像记录须为本案的记录', [
        { path: 'sessionId', message: 'another case' },
      ]);
    if (s.startedAt === null || (s.status !== 'ended' && s.status !== 'sealed'))
      throw new AppError(
        'RULE_VIOLATION',
        '留置送达须有全程音像记录：所附的记录尚未录制完成 (R1.5, R3.2)',
      );
    return s;
  }

  async serve(caller: Caller, input: ServiceInput): Promise<ServiceRecordDto> {
    const user = requireUser(caller);
    const doc = this.documents.row(input.documentId);
    this.ports.guard.requireTeam(caller, {
      caseId: doc.case_id,
      what: `送达${doc.title}`,
      entity: 'issued_document',
      entityId: doc.id,
    });
    if (doc.needs_service === 0) throw new AppError('CONFLICT', `${doc.title}不需送达`);
    const session = this.check(input, doc.case_id, doc.issued_at);
    const servers = input.serverOfficerIds.map(
      (id) => officerCard(this.deps.db, id)?.name ?? `#${id}`,
    );
    const at = this.deps.now();
    const data: ServiceData = {
      recipient: input.recipient,
      place: input.place,
      servers,
      note: input.note ?? null,
      ...(input.method === 'entrusted' ? { entrustedTo: input.entrustedTo } : {}),
      ...(input.method === 'postal'
        ? { carrier: input.carrier, trackingNo: input.trackingNo }
        : {}),
      ...(input.method === 'left'
        ? {
            refusal: input.refusal,
            witness: { name: input.witness.name, unit: input.witness.unit ?? null },
          }
        : {}),
      ...(input.method === 'public_notice'
        ? { publishedIn: input.publishedIn, why: input.why, days: input.days ?? 30 }
        : {}),
    };
    const signature =
      input.method === 'direct'
        ? handwritingFromInput(input.recipientSignature, at, at)
        : input.method === 'left'
          ? handwritingFromInput(input.witnessSignature, at, at)
          : null;
    // Direct and left service print the receipt there and then, with the signature taken.
    let receipt: { rel: string; sha256: string } | null = null;
    if (signature) {
      const tz = this.deps.timeZone();
      const agency = agencyIdentityRow(this.deps.db);
      const identity = await loadOrCreateIdentity(this.opts.identityDir);
      const printed = await renderIssuedDocument({
        template: this.documents.template('service-receipt'),
        agency: agency?.name ?? '',
        docNo: null,
        values: {
          documentTitle: doc.title,
          docNo: doc.doc_no ?? '—',
          recipient: input.recipient,
          place: input.place,
          method: zhName('serviceMethod', input.method),
          servedAt: dateTimeIn(input.servedAt, tz, false),
          server: servers.join('、'),
          witness: input.method === 'left' ? input.witness.name : '',
          note:
            input.method === 'left'
              ? `受送达人拒绝签收：${input.refusal}。已留置送达，见证人签名，全程音像记录（${zhName('sessionKind', session!.kind)}第 ${session!.id} 号）。`
              : (input.note ?? ''),
        },
        issuedAt: at,
        timeZone: tz,
        seal: this.documents.seal(),
        signatures: input.method === 'left' ? { witness: signature } : { recipient: signature },
        signer: identity.signer,
      });
      const dir = join('case-files', String(doc.case_id), 'service');
      mkdirSync(join(this.opts.dataDir, dir), { recursive: true });
      const rel = join(dir, `receipt-${doc.id}-${at}.pdf`);
      writeFileAtomicSync(join(this.opts.dataDir, rel), printed.pdf);
      receipt = { rel, sha256: printed.sha256 };
    }
    const { db } = this.deps;
    const id = db.transaction(() => {
      const id = insertService(db, {
        document_id: doc.id,
        method: input.method,
        data: JSON.stringify(data),
        served_at: input.servedAt,
        session_id: input.method === 'left' ? input.sessionId : null,
        handwriting: signature ? storeHandwriting(signature) : null,
        receipt_path: receipt?.rel ?? null,
        receipt_sha256: receipt?.sha256 ?? null,
        recorded_by: user.id,
        recorded_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'document.served',
        entity: 'service_record',
        entityId: id,
        caseId: doc.case_id,
        data: { documentId: doc.id, docNo: doc.doc_no, method: input.method, ...data },
      });
      return id;
    })();
    this.deps.emit('documents.changed', { caseId: doc.case_id });
    return this.dto(this.record(id));
  }

  /** The 送达回证 printed at a direct or left service. */
  receiptPdf(caller: Caller, serviceId: number): PdfDto {
    const row = this.record(serviceId);
    const doc = this.documents.row(row.document_id);
    this.ports.guard.require(caller, {
      caseId: doc.case_id,
      mode: 'view',
      sessionIds: [],
      what: '查看送达回证',
      entity: 'service_record',
      entityId: row.id,
    });
    if (!row.receipt_path) throw new AppError('NOT_FOUND', '该送达方式没有当场签署的送达回证');
    const path = join(this.opts.dataDir, row.receipt_path);
    const bytes = readFileSync(path);
    if (sha256(bytes) !== row.receipt_sha256)
      throw new AppError('CONFLICT', '送达回证的文件与送达时登记的不一致');
    return {
      fileName: `送达回证-${row.document_id}-${row.id}.pdf`,
      data: bytes.toString('base64'),
      savedAt: path,
    };
  }

  /** The handwriting taken at the service (the recipient's or the witness's). */
  handwritingOf(serviceId: number) {
    const row = this.record(serviceId);
    return row.handwriting ? readHandwriting(row.handwriting) : null;
  }

  attachReceipt(caller: Caller, input: MethodParsed<'documents.attachReceipt'>): ServiceRecordDto {
    const user = requireUser(caller);
    const row = this.record(input.serviceId);
    const doc = this.documents.row(row.document_id);
    if (!takesReceipt(row.method))
      throw new AppError('CONFLICT', `${zhName('serviceMethod', row.method)}不另附回执`);
    if (doc.case_id && this.ports.cases.get(doc.case_id).phase === 'archiving')
      throw new AppError('CONFLICT', '本案已归档，记录不再改动');
    if (input.receivedAt < row.served_at - 60_000 || input.receivedAt > this.deps.now() + 60_000)
      throw new AppError('INVALID_INPUT', '签收日期应在交寄（委托）之后、现在之前', [
        { path: 'receivedAt', message: 'out of range' },
      ]);
    const bytes = Buffer.from(input.data, 'base64');
    if (bytes.length === 0) throw new AppError('INVALID_INPUT', '回执文件是空的');
    const dir = join('case-files', String(doc.case_id), 'service');
    mkdirSync(join(this.opts.dataDir, dir), { recursive: true });
    const at = this.deps.now();
    const rel = join(dir, `proof-${row.id}-${at}${extname(input.fileName).toLowerCase()}`);
    writeFileAtomicSync(join(this.opts.dataDir, rel), bytes);
    const { db } = this.deps;
    db.transaction(() => {
      const id = insertProof(db, {
        service_id: row.id,
        data: JSON.stringify({ note: input.note ?? null }),
        file_name: input.fileName,
        file_path: rel,
        file_sha256: sha256(bytes),
        received_at: input.receivedAt,
        recorded_by: user.id,
        recorded_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'document.receipt_attached',
        entity: 'service_record',
        entityId: row.id,
        caseId: doc.case_id,
        data: {
          proofId: id,
          fileName: input.fileName,
          sha256: sha256(bytes),
          receivedAt: input.receivedAt,
        },
      });
    })();
    this.deps.emit('documents.changed', { caseId: doc.case_id });
    return this.dto(this.record(row.id));
  }

  recordExecution(caller: Caller, input: MethodParsed<'documents.recordExecution'>): ExecutionDto {
    const user = requireUser(caller);
    const doc = this.documents.row(input.documentId);
    this.ports.guard.requireTeam(caller, {
      caseId: doc.case_id,
      what: '记录执行情况',
      entity: 'issued_document',
      entityId: doc.id,
    });
    if (doc.ends_matter === 0)
      throw new AppError('CONFLICT', `执行情况针对处理决定记录，${doc.title}不是决定`);
    // Times are entered to the minute: the minute of issue counts as after it.
    if (input.executedAt < doc.issued_at - 60_000 || input.executedAt > this.deps.now() + 60_000)
      throw new AppError('INVALID_INPUT', '执行时间应在决定制发之后、现在之前', [
        { path: 'executedAt', message: 'out of range' },
      ]);
    const { db } = this.deps;
    const at = this.deps.now();
    const id = db.transaction(() => {
      const id = insertExecution(db, {
        case_id: doc.case_id,
        document_id: doc.id,
        result: input.result,
        detail: input.detail,
        executed_at: input.executedAt,
        recorded_by: user.id,
        recorded_at: at,
      });
      this.deps.audit.append({
        at,
        actorUserId: user.id,
        actor: user.displayName,
        action: 'document.executed',
        entity: 'issued_document',
        entityId: doc.id,
        caseId: doc.case_id,
        data: {
          executionId: id,
          result: input.result,
          detail: input.detail,
          executedAt: input.executedAt,
        },
      });
      return id;
    })();
    this.deps.emit('documents.changed', { caseId: doc.case_id });
    return {
      id,
      documentId: doc.id,
      result: input.result,
      detail: input.detail,
      executedAt: input.executedAt,
      recordedBy: userDisplayName(db, user.id) ?? user.displayName,
    };
  }
}
