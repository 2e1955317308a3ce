/**
 * The case's audit report (案件操作记录报告): every entry of the trail about one case, in
 * the order they happened, with the chain's check, as an A4 PDF signed by the workstation
 * (PAdES), for a legal-affairs office or a court to read without the workstation.
 */
import { AUDIT_ACTION_NAMES, AUDIT_ENTITY_NAMES } from '../../../shared/audit-actions';
import type { AuditEventDto } from '../../../shared/domain';
import { dateTimeIn, offsetText } from '../../../shared/time';
import type { FontBytes } from '../../platform/pdf/fonts';
import {
  addSignaturePlaceholder,
  estimateContentsSize,
  finishSignature,
} from '../../platform/pdf/pades';
import { A4, GREY, INK, MM, newDoc, Writer } from '../../platform/pdf/writer';
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

const COLS = [14 * MM, 34 * MM, 24 * MM, 40 * MM, 38 * MM];

export async function renderCaseAuditReport(input: CaseAuditReportInput): Promise<Buffer> {
  const tz = input.timeZone;
  const { pdf, font, metrics } = await newDoc(input.fonts, `案件操作记录报告 ${input.caseNo}`);
  const w = new Writer(pdf, font, metrics, (wr) =>
    wr.page.drawText(wr.clean(`案件操作记录报告 · ${input.caseNo}`), {
      x: wr.margin,
      y: A4[1] - 12 * MM,
      size: 8,
      font,
      color: GREY,
    }),
  );
  w.newPage();
  w.text('案件操作记录报告', { size: 18, gap: 2 });
  w.text(`文中时间均为 ${tz} 时区（UTC${offsetText(input.generatedAt, tz)}）`, {
    size: 9,
    color: GREY,
    gap: 6,
  });
  w.row('案件编号', input.caseNo);
  w.row('案由', input.cause);
  w.row('编制人', input.generatedBy);
  w.row('编制时间', dateTimeIn(input.generatedAt, tz));
  const c = input.chain;
  w.row(
    '审计日志校验',
    c.ok
      ? `完好：全部 ${c.count} 条记录的哈希链成立，与 ${c.anchors} 个存放在数据库之外的签名锚点一致`
      : `已被改动：${c.brokenAt !== null ? `第 ${c.brokenAt} 条起哈希链不成立；` : ''}${c.problems.join('；')}`,
  );
  w.row('记录条数', `${input.entries.length} 条（本案的全部记录，按时间顺序）`);
  w.text(
    '下表列出审计日志中与本案有关的每一条记录：谁在何时对本案的哪项内容做了什么。校验值为该条记录的 SHA-256（前 16 位），可与工作站审计日志逐条核对。本报告由工作站证书签名，改动任何内容都会使签名失效。',
    { size: 9, color: GREY, gap: 4 },
  );
  w.rule();
  const headers = ['序号', '时间', '操作人', '操作', '对象', '校验值'];
  const size = 8.5;
  const lead = size * 1.45;
  const header = () => {
    w.ensure(20);
    w.y -= 13;
    let x = w.margin;
    headers.forEach((h, i) => {
      w.page.drawText(h, { x, y: w.y, size: 9, font, color: GREY });
      x += COLS[i] ?? 0;
    });
    w.y -= 4;
  };
  header();
  const names = AUDIT_ACTION_NAMES as Record<string, string>;
  const things = AUDIT_ENTITY_NAMES as Record<string, string>;
  for (const e of input.entries) {
    const cells = [
      String(e.seq),
      dateTimeIn(e.at, tz),
      e.actor ?? (e.entity === 'signing' ? '签名终端' : '系统'),
      names[e.action] ?? e.action,
      `${things[e.entity] ?? e.entity}${e.entityId !== null ? `（编号 ${e.entityId}）` : ''}`,
      e.hash.slice(0, 16),
    ];
    const wrapped = cells.map((t, i) => w.wrap(t, size, (COLS[i] ?? A4[0]) - 4));
    const height = Math.max(...wrapped.map((l) => l.length)) * lead + 3;
    if (w.y - height < w.margin + 12) {
      w.newPage();
      header();
    }
    const top = w.y;
    let x = w.margin;
    wrapped.forEach((lines, i) => {
      lines.forEach((l, k) =>
        w.page.drawText(l, { x, y: top - (k + 1) * lead, size, font, color: INK }),
      );
      x += COLS[i] ?? 0;
    });
    w.y = top - height;
  }
  const pages = pdf.getPages();
  pages.forEach((p, i) => {
    const t = `第 ${i + 1} 页 共 ${pages.length} 页`;
    p.drawText(t, { x: (A4[0] - metrics.width(t, 8)) / 2, y: 10 * MM, size: 8, font, color: GREY });
  });
  const signingTime = new Date(input.generatedAt);
  const info = {
    signingTime,
    name: 'Attest workstation',
    reason: `案件操作记录报告 ${input.caseNo}`,
    contentsSize: await estimateContentsSize(input.signer),
  };
  addSignaturePlaceholder(pdf, pages[pages.length - 1]!, info);
  const saved = await pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
  return finishSignature(saved, input.signer, info);
}
