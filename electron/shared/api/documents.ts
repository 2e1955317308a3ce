/**
 * Issued documents (执法文书, R2.1) from the agency's templates, numbered and sealed; their
 * service (送达, R1.5) by one of five methods with what each needs; and what became of a
 * decision (执行). The agency's name, short name and seal image are set by an administrator.
 */
import { z } from 'zod';
import { idSchema, instantSchema } from '../domain';
import type { ServiceMethod, ServiceProof } from '../rules/service';
import { optionalText, text } from '../schema';
import { handwritingInputSchema } from './signing';
import { ADMINS, CASE_WRITERS, events, method } from './define';
import type { PdfDto } from './discs';

export const EXECUTION_RESULTS = [
  'fulfilled', // 当事人已全部履行
  'partly', // 部分履行
  'enforced', // 强制执行
  'not_executed', // 未执行（终结）
] as const;
export type ExecutionResult = (typeof EXECUTION_RESULTS)[number];

const base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

/** Who served: at least one officer; the left-at-premises service needs two (R1.5). */
const serversSchema = z.array(idSchema).min(1).max(5);

const common = {
  documentId: idSchema,
  /** 受送达人. */
  recipient: text(100),
  /** 送达地点. */
  place: text(200),
  servedAt: instantSchema,
  serverOfficerIds: serversSchema,
  note: optionalText(500),
};

/** Each method with what it needs at the time of service. */
export const serviceInputSchema = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('direct'),
      ...common,
      /** The recipient signs the receipt on the tablet. */
      recipientSignature: handwritingInputSchema,
    })
    .strict(),
  z
    .object({
      method: z.literal('entrusted'),
      ...common,
      /** The agency entrusted with the service (受委托机关). */
      entrustedTo: text(200),
    })
    .strict(),
  z
    .object({
      method: z.literal('postal'),
      ...common,
      carrier: text(50),
      trackingNo: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{6,40}$/, '邮件号由 6–40 位字母或数字组成'),
    })
    .strict(),
  z
    .object({
      method: z.literal('left'),
      ...common,
      serverOfficerIds: z.array(idSchema).min(2).max(5),
      /** Why it was left: the recipient refused to accept (拒绝接收的事由). */
      refusal: text(500),
      witness: z.object({ name: text(50), unit: optionalText(100) }).strict(),
      witnessSignature: handwritingInputSchema,
      /** The A/V record of the act (R3.2): a recorded session of the case. */
      sessionId: idSchema,
    })
    .strict(),
  z
    .object({
      method: z.literal('public_notice'),
      ...common,
      /** Where the notice is published (公告栏, 官网, 报纸 …). */
      publishedIn: text(200),
      /** Why the recipient could not be served otherwise (下落不明 …). */
      why: text(500),
      /** Days the notice stands (default 30). */
      days: z.number().int().min(1).max(90).optional(),
    })
    .strict(),
]);
export type ServiceInput = z.output<typeof serviceInputSchema>;

export const documentSchemas = {
  templates: z.object({}).strict(),
  prefill: z.object({ caseId: idSchema, template: text(60) }).strict(),
  issue: z
    .object({
      caseId: idSchema,
      template: text(60),
      values: z.record(z.string().max(60), z.string().max(10000)),
    })
    .strict(),
  list: z.object({ caseId: idSchema }).strict(),
  pdf: z.object({ documentId: idSchema }).strict(),
  receiptPdf: z.object({ serviceId: idSchema }).strict(),
  attachReceipt: z
    .object({
      serviceId: idSchema,
      /** 妥投证明 / the returned 送达回证, scanned. */
      fileName: z
        .string()
        .trim()
        .min(1)
        .max(120)
        .regex(/^[^/\\\0]+\.(pdf|png|jpe?g)$/i, 'a PDF or an image (png, jpg)'),
      data: base64(10 * 1024 * 1024),
      /** When the recipient received it (签收日期), as the receipt states. */
      receivedAt: instantSchema,
      note: optionalText(500),
    })
    .strict(),
  execution: z
    .object({
      documentId: idSchema,
      result: z.enum(EXECUTION_RESULTS),
      detail: text(2000),
      executedAt: instantSchema,
    })
    .strict(),
  setIdentity: z
    .object({
      /** 机关全称, as the documents print it. */
      name: text(100),
      /** 机关简称 for document numbers (文号), e.g. 石人防. */
      shortName: z
        .string()
        .trim()
        .min(1)
        .max(12)
        .regex(/^[\u4e00-\u9fa5A-Za-z]+$/, '简称只含汉字或字母'),
      /** The seal image (PNG, transparent background); omitted keeps the one set. */
      seal: base64(2 * 1024 * 1024).optional(),
    })
    .strict(),
};

export interface DocumentFieldDto {
  key: string;
  label: string;
  multiline: boolean;
  required: boolean;
}

export interface DocumentTemplateDto {
  kind: string;
  title: string;
  /** 文号 middle part, e.g. 罚决字; null for forms without a number. */
  docNoPrefix: string | null;
  /** Whether the document goes to the party (and the case waits for its proof of service). */
  needsService: boolean;
  /** A decision: issuing it ends the matter (the filing clock starts). */
  endsMatter: boolean;
  fields: DocumentFieldDto[];
}

export interface ServiceRecordDto {
  id: number;
  documentId: number;
  method: ServiceMethod;
  recipient: string;
  place: string;
  servedAt: number;
  servers: string[];
  detail: Record<string, unknown>;
  sessionId: number | null;
  /** The 送达回证 signed at the service (direct, left), as a sealed PDF. */
  receiptPdf: { sha256: string } | null;
  receipts: { id: number; fileName: string; sha256: string; receivedAt: number }[];
  proof: ServiceProof;
  recordedAt: number;
}

export interface ExecutionDto {
  id: number;
  documentId: number;
  result: ExecutionResult;
  detail: string;
  executedAt: number;
  recordedBy: string;
}

export interface IssuedDocumentDto {
  id: number;
  caseId: number;
  template: string;
  title: string;
  docNo: string | null;
  values: Record<string, string>;
  needsService: boolean;
  endsMatter: boolean;
  sha256: string;
  issuedBy: string;
  issuedAt: number;
  services: ServiceRecordDto[];
  /** Served and proven (or not needing service). */
  served: boolean;
  executions: ExecutionDto[];
}

export interface AgencyIdentityDto {
  name: string | null;
  shortName: string | null;
  /** SHA-256 of the seal image; null when none is set. */
  sealSha256: string | null;
  /** The seal image (PNG, base64) for the settings screen. */
  seal: string | null;
}

export const documentsMethods = {
  'documents.templates': method<DocumentTemplateDto[]>()(documentSchemas.templates, 'user'),
  /** The template's fields filled from the case (party, case number, officers …). */
  'documents.prefill': method<Record<string, string>>()(documentSchemas.prefill, CASE_WRITERS),
  /** Issues a document: numbered, dated, sealed, PAdES-signed. */
  'documents.issue': method<IssuedDocumentDto>()(documentSchemas.issue, CASE_WRITERS),
  'documents.list': method<IssuedDocumentDto[]>()(documentSchemas.list, 'user'),
  'documents.pdf': method<PdfDto>()(documentSchemas.pdf, 'user'),
  /** Records a service with what its method needs. */
  'documents.serve': method<ServiceRecordDto>()(serviceInputSchema, CASE_WRITERS),
  'documents.receiptPdf': method<PdfDto>()(documentSchemas.receiptPdf, 'user'),
  /** Attaches the proof that comes later (postal receipt, returned 送达回证). */
  'documents.attachReceipt': method<ServiceRecordDto>()(documentSchemas.attachReceipt, [
    ...CASE_WRITERS,
    'clerk',
  ]),
  /** What became of a decision (执行情况). */
  'documents.recordExecution': method<ExecutionDto>()(documentSchemas.execution, CASE_WRITERS),
  'documents.identity': method<AgencyIdentityDto>()(documentSchemas.templates, 'user'),
  'documents.setIdentity': method<AgencyIdentityDto>()(documentSchemas.setIdentity, ADMINS),
} as const;

export interface DocumentsEvents {
  'documents.changed': { caseId: number };
}
export const DOCUMENTS_EVENTS = events<DocumentsEvents>()(['documents.changed']);
