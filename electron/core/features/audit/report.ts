/**
 * The case's audit report (案件操作记录报告): every entry of the trail about one case, in
 * the order they happened, with the chain's check, as an A4 PDF signed by the workstation
 * (PAdES), for a legal-affairs office or a court to read without the workstation.
 */
import { zhActionName, zhActorName, zhEntityName } from '../../../shared/audit-actions';
import type { AuditEventDto } from '../../../shared/domain';
import { dateTimeIn } from '../../../shared/time';
import type { FontBytes } from '../../platform/pdf/fonts';
import { signAndSave } from '../../platform/pdf/pades';
import { GREY, MM, newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import type { Signer } from '../../platform/pki';
import type { ChainCheck } from './anchors';

export interface CaseAuditReportInput {
  caseNo: string;
  cause: string;
  /** Oldest first. */
  entries: AuditEventDto[];
  chain: ChainCheck;
  generatedAt: number;
  generatedBy: string;
  timeZone: string;
  signer: Signer;
  fonts?: FontBytes;
}

export async function renderCaseAuditReport(input: CaseAuditReportInput): Promise<Buffer> {
  const tz = input.timeZone;
  const { pdf, font, metrics } = await newDoc(input.fonts, `案件操作记录报告 ${input.caseNo}`);
  const w = Writer.withRunningHeader(pdf, font, metrics, `案件操作记录报告 · ${input.caseNo}`);
  w.newPage();
  w.title('案件操作记录报告', zoneNote(tz, input.generatedAt));
  w.row('案件编号', input.caseNo);
  w.row('案由', input.cause);
  w.row('编制人', input.generatedBy);
  w.row('编制时间', dateTimeIn(input.generatedAt, tz));
  const c = input.chain;
  w.row(
    '审计日志校验',
    c.ok
      ? `完好：全部 ${c.count} 条记录的哈希链成立，与 ${c.anchors} 个存放在数据库之外的签名锚点一致`
      : c.brokenAt !== null
        ? `已被改动：第 ${c.brokenAt} 条起哈希链不成立（技术细节：${c.problems.join('；')}）`
        : `校验未通过：与数据库之外的签名锚点不一致，或锚点无法读取（技术细节：${c.problems.join('；')}）`,
  );
  w.row('记录条数', `${input.entries.length} 条（本案的全部记录，按时间顺序）`);
  w.text(
    '下表列出审计日志中与本案有关的每一条记录：谁在何时对本案的哪项内容做了什么。校验值为该条记录的 SHA-256（前 16 位），可与工作站审计日志逐条核对。本报告由工作站证书签名，改动任何内容都会使签名失效。',
    { size: 9, color: GREY, gap: 4 },
  );
  w.rule();
  w.table(
    ['序号', '时间', '操作人', '操作', '对象', '校验值'],
    [14 * MM, 34 * MM, 24 * MM, 36 * MM, 38 * MM],
    input.entries.map((e) => [
      String(e.seq),
      dateTimeIn(e.at, tz),
      zhActorName(e),
      zhActionName(e.action),
      `${zhEntityName(e.entity)}${e.entityId !== null ? `（编号 ${e.entityId}）` : ''}`,
      e.hash.slice(0, 16),
    ]),
  );
  w.numberPages();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, input.signer, {
    signingTime: new Date(input.generatedAt),
    name: 'Attest workstation',
    reason: `案件操作记录报告 ${input.caseNo}`,
  });
}
