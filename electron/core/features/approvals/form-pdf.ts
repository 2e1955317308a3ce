/**
 * The approval form as printed (审批表): the case, the handler's proposal with its facts,
 * evidence, legal basis and discretion, then each opinion with its signer's handwriting and
 * date, the collective discussion with every participant's signature, signed by the
 * workstation (PAdES) so a printed or forwarded copy can be checked.
 */
import type { ApprovalContent } from '../../../shared/api/approvals';
import { dateCn } from '../../../shared/time';
import type { Handwriting } from '../../platform/pdf/model';
import { signAndSave } from '../../platform/pdf/pades';
import { signatureLine } from '../../platform/pdf/signature-line';
import { newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import type { Signer } from '../../platform/pki';

export interface OpinionPrint {
  heading: string;
  text: string;
  signer: string;
  handwriting: Handwriting;
  at: number;
}

export interface ApprovalFormPrint {
  title: string;
  agency: string | null;
  caseNo: string;
  cause: string;
  parties: string;
  content: ApprovalContent;
  /** The sessions the evidence names, as the case file lists them. */
  evidenceSessions: string[];
  proposal: OpinionPrint;
  review: OpinionPrint | null;
  discussion: {
    heldAt: number;
    place: string;
    participants: string[];
    minutes: string;
    conclusion: string;
    signatures: { name: string; handwriting: Handwriting; at: number }[];
  } | null;
  decision: OpinionPrint | null;
  timeZone: string;
  signer: Signer;
  at: number;
}

export async function renderApprovalForm(p: ApprovalFormPrint): Promise<Buffer> {
  const { pdf, font, metrics } = await newDoc(undefined, p.title);
  const w = Writer.withRunningHeader(pdf, font, metrics, `${p.title} · ${p.caseNo}`);
  w.newPage();
  if (p.agency) w.text(p.agency, { size: 12, gap: 2 });
  w.title(p.title, zoneNote(p.timeZone, p.at));
  w.row('案号', p.caseNo);
  w.row('案由', p.cause);
  w.row('当事人', p.parties || '—');
  w.rule();
  w.row('案件事实', p.content.facts);
  w.row(
    '证据',
    [...p.evidenceSessions, ...p.content.evidence].map((e, i) => `${i + 1}. ${e}`).join('\n'),
  );
  w.row('法律依据', p.content.legalBasis);
  w.row('裁量理由', p.content.discretion);
  const opinion = (o: OpinionPrint) => {
    w.rule();
    w.text(o.heading, { size: 11, gap: 2 });
    w.text(o.text, { size: 10, gap: 2 });
    signatureLine(w, `${o.signer} 签名`, o.handwriting, dateCn(o.at, p.timeZone));
  };
  opinion({ ...p.proposal, text: p.content.proposal });
  if (p.review) opinion(p.review);
  if (p.discussion) {
    const d = p.discussion;
    w.rule();
    w.text('集体讨论记录', { size: 11, gap: 2 });
    w.row('时间', dateCn(d.heldAt, p.timeZone));
    w.row('地点', d.place);
    w.row('参加人员', d.participants.join('、'));
    w.row('讨论记录', d.minutes);
    w.row('讨论结论', d.conclusion);
    for (const s of d.signatures)
      signatureLine(w, `${s.name} 签名`, s.handwriting, dateCn(s.at, p.timeZone));
  }
  if (p.decision) opinion(p.decision);
  w.numberPages();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, p.signer, {
    signingTime: new Date(p.at),
    reason: p.title,
    ...(p.agency ? { location: p.agency } : {}),
  });
}
