/**
 * The compliance report as printed (合规检查报告): each applicable rule in plain Chinese with its
 * status and evidence, PAdES-signed by the workstation, sealed beside the JSON so a reader of
 * the bag sees at a glance what the officers saw before sealing.
 */
import { rgb } from '@cantoo/pdf-lib';
import type { ComplianceReport, ComplianceStatus } from '../../../shared/rules/compliance';
import { dateTimeIn } from '../../../shared/time';
import { signAndSave } from '../../platform/pdf/pades';
import { newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import type { Signer } from '../../platform/pki';

const STATUS_ZH: Record<ComplianceStatus, string> = {
  met: '符合',
  missing: '缺失',
  overridden: '经说明',
};

export async function renderComplianceReport(
  report: ComplianceReport,
  o: { title: string; subject: string; timeZone: string; signer: Signer },
): Promise<Buffer> {
  const at = Date.parse(report.at);
  const { pdf, font, metrics } = await newDoc(undefined, o.title);
  const w = Writer.withRunningHeader(pdf, font, metrics, `${o.title} · ${o.subject}`);
  w.newPage();
  w.title(o.title, zoneNote(o.timeZone, at));
  w.row('对象', o.subject);
  w.row('检查时间', dateTimeIn(at, o.timeZone));
  const gaps = report.items.filter((i) => i.status === 'missing').length;
  w.row('结论', gaps ? `${gaps} 项缺失` : '各项均符合');
  w.rule();
  w.table(
    ['规则', '要求', '结果', '依据'],
    [14 * 2.835, 62 * 2.835, 14 * 2.835],
    report.items.map((i) => [i.rule, i.title, STATUS_ZH[i.status], i.evidence]),
    { rules: true },
  );
  w.text('本报告由工作站依据记录自动生成，与 compliance.json 内容一致。', {
    size: 8,
    color: rgb(0.42, 0.44, 0.48),
    gap: 4,
  });
  w.numberPages();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, o.signer, {
    signingTime: new Date(at),
    reason: o.title,
  });
}
