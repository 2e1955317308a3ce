/**
 * The register of party copies (当事人复制登记簿, R6.2): every copy given out, to whom, when,
 * what was in it and what was left out, under which grant, as an A4 PDF signed by the
 * workstation (PAdES) so that a printed or forwarded register can be checked.
 */
import { dateTimeIn } from '../../../shared/time';
import { signAndSave } from '../../platform/pdf/pades';
import { GREY, MM, newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import type { Signer } from '../../platform/pki';

export interface CopyRegisterRow {
  copyNo: string;
  caseNo: string;
  recipient: string;
  idText: string;
  madeAt: string;
  what: string;
  leftOut: string;
  grant: string;
  madeBy: string;
  tagManifest: string;
}

export async function renderCopyRegister(input: {
  /** A case number, or null for every case. */
  scope: string | null;
  rows: CopyRegisterRow[];
  generatedAt: number;
  generatedBy: string;
  timeZone: string;
  signer: Signer;
}): Promise<Buffer> {
  const { pdf, font, metrics } = await newDoc(undefined, '当事人复制登记簿');
  const w = Writer.withRunningHeader(
    pdf,
    font,
    metrics,
    `当事人复制登记簿${input.scope ? ` · ${input.scope}` : ''}`,
  );
  w.newPage();
  w.title('当事人复制登记簿', zoneNote(input.timeZone, input.generatedAt));
  w.row('范围', input.scope ? `案件 ${input.scope}` : '全部案件');
  w.row('编制人', input.generatedBy);
  w.row('编制时间', dateTimeIn(input.generatedAt, input.timeZone));
  w.row('复制件数', `${input.rows.length} 件`);
  w.text(
    '每件复制件是一个经工作站签名的 BagIt 包，附有原封存包的清单和签名；用 attest verify 核验时逐个文件与原封存包清单比对。标签清单值为复制件 tagmanifest-sha512.txt 的 SHA-512（前 16 位）。',
    { size: 9, color: GREY, gap: 4 },
  );
  w.rule();
  w.table(
    ['编号', '案件', '领取人', '制作时间', '批准', '复制的文件', '未复制', '制作人'],
    [20 * MM, 22 * MM, 26 * MM, 18 * MM, 22 * MM, 30 * MM, 22 * MM],
    input.rows.map((r) => [
      `${r.copyNo}\n${r.tagManifest}`,
      r.caseNo,
      `${r.recipient}\n${r.idText}`,
      r.madeAt,
      r.grant,
      r.what,
      r.leftOut,
      r.madeBy,
    ]),
    { size: 7.5, rules: true },
  );
  w.numberPages();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, input.signer, {
    signingTime: new Date(input.generatedAt),
    name: 'Attest workstation',
    reason: '当事人复制登记簿',
  });
}
