/**
 * The hearing report as printed (听证报告): the hearing's particulars, the four sections the
 * moderator wrote, and the moderator's signing in person, on A4 signed by the workstation
 * (PAdES) so that a printed or forwarded copy can be checked.
 */
import type { HearingReportContent } from '../../../shared/api/hearings';
import { dateTimeIn } from '../../../shared/time';
import { signAndSave } from '../../platform/pdf/pades';
import { GREY, newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import type { Signer } from '../../platform/pki';

export interface HearingReportPrint {
  agency: string | null;
  caseNo: string;
  cause: string;
  /** 听证时间: the recording's start and end, as the record gives them. */
  heldFrom: number;
  heldTo: number;
  place: string;
  moderator: string;
  panel: string[];
  investigators: string[];
  recorder: string;
  /** 当事人赵六；委托代理人王明；证人孙强 … */
  participants: string[];
  /** The 听证笔录's file and SHA-256, so the report names the record it rests on. */
  record: { sha256: string } | null;
  content: HearingReportContent;
  version: number;
  signedAt: number;
  /** 本人登录确认 / 输入本人口令确认. */
  presence: string;
  timeZone: string;
  signer: Signer;
}

export const REPORT_SECTIONS: readonly [keyof HearingReportContent, string][] = [
  ['investigatorCase', '一、调查人员提出的违法事实、证据和处理建议'],
  ['partyCase', '二、当事人及其委托代理人的陈述、申辩和质证意见'],
  ['findings', '三、听证认定的事实和证据'],
  ['recommendation', '四、主持人意见及处理建议'],
];

export async function renderHearingReport(r: HearingReportPrint): Promise<Buffer> {
  const { pdf, font, metrics } = await newDoc(undefined, '听证报告');
  const w = Writer.withRunningHeader(pdf, font, metrics, `听证报告 · ${r.caseNo}`);
  w.newPage();
  if (r.agency) w.text(r.agency, { size: 12, gap: 2 });
  w.title('听证报告', zoneNote(r.timeZone, r.heldFrom));
  w.row('案号', r.caseNo);
  w.row('案由', r.cause);
  w.row('听证时间', `${dateTimeIn(r.heldFrom, r.timeZone)} 至 ${dateTimeIn(r.heldTo, r.timeZone)}`);
  w.row('听证地点', r.place);
  w.row('主持人', r.moderator);
  if (r.panel.length) w.row('听证员', r.panel.join('、'));
  w.row('调查人员', r.investigators.join('、'));
  w.row('记录员', r.recorder);
  w.row('听证参加人', r.participants.join('；'));
  if (r.record) w.row('听证笔录', `SHA-256 ${r.record.sha256}`, 8);
  w.rule();
  for (const [key, heading] of REPORT_SECTIONS) {
    w.text(heading, { size: 11, gap: 2 });
    for (const para of r.content[key].split(/\n+/)) w.text(para, { size: 10.5, gap: 4 });
  }
  w.rule();
  w.row('主持人', `${r.moderator}（第 ${r.version} 稿，${r.presence}）`);
  w.row('签署时间', dateTimeIn(r.signedAt, r.timeZone));
  w.text(
    '本报告由主持人本人确认签署，工作站以数字签名封装；报告随听证录音录像和听证笔录一并封存。',
    {
      size: 8.5,
      color: GREY,
    },
  );
  w.numberPages();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, r.signer, {
    signingTime: new Date(r.signedAt),
    name: 'Attest workstation',
    reason: '听证报告',
  });
}
