/**
 * Printable A4 documents of the disc workflow, drawn with @cantoo/pdf-lib and the shipped
 * CJK font (subset into each file, like the transcript):
 * - the label sheet and disc record (光盘标签及制作说明, R5.1): one page per physical disc,
 *   a 116 mm disc label to cut out (or print on label paper) and below it the record of
 *   what the disc holds: matter, time, place, recording method, officers with certificate
 *   numbers, how, when and by whom the disc was made, what it proves, and each bundle's
 *   tag-manifest SHA-512 with a QR code carrying it;
 * - the case file index (案卷目录, R5.2): the case's records in time order with numbered
 *   entries, where each recording is stored, and the filing deadline.
 */
import type { FilingStatus } from '../../../shared/rules/filing';
import type { FilingSignOff } from '../filing';
import { signAndSave } from '../../platform/pdf/pades';
import { signatureLine } from '../../platform/pdf/signature-line';
import { dateCn } from '../../../shared/time';
import { rgb } from '@cantoo/pdf-lib';
import type { FontBytes } from '../../platform/pdf/fonts';
import { A4, GREY, INK, MM, newDoc, Writer, zoneNote } from '../../platform/pdf/writer';
import { dateTimeIn } from '../../../shared/time';
import type { CaseFileIndexDto } from '../../../shared/api/discs';
import { MEDIA, type MediumId } from '../../../shared/rules/disc-plan';
import { encodeQr } from './qr';

/** Text in the QR code: a label a scanner shows whole, then the hash. */
export function qrPayload(tagManifestSha512: string): string {
  return `attest-tagmanifest-sha512:${tagManifestSha512}`;
}

/** Draws `text` as a QR code, `side` points square, its top-left corner at (x, top). */
function drawQr(w: Writer, text: string, x: number, top: number, side: number): void {
  const code = encodeQr(text);
  const n = code.size + 8;
  const m = side / n;
  w.page.drawRectangle({ x, y: top - side, width: side, height: side, color: rgb(1, 1, 1) });
  code.modules.forEach((row, yy) =>
    row.forEach((dark, xx) => {
      if (dark)
        w.page.drawRectangle({
          x: x + (xx + 4) * m,
          y: top - (yy + 4 + 1) * m,
          width: m,
          height: m,
          color: rgb(0, 0, 0),
        });
    }),
  );
}
export interface LabelBundle {
  name: string;
  part: { number: number; of: number } | null;
  tagManifestSha512: string;
  /** bag-info values (every value of each label). */
  info: Record<string, string[]>;
}

export interface LabelDisc {
  serial: string;
  discNumber: number;
  discCount: number;
  copyNumber: number;
  copies: number;
  volumeId: string;
  /** SHA-256 of the agency certificate register on the disc (null: none). */
  registerSha256: string | null;
  medium: MediumId;
  bundles: LabelBundle[];
  /** Who made the disc, when (UTC ms), and how (burner, verification result). */
  madeBy: string;
  madeAt: number;
  productionMethod: string;
  verification: string;
}

export interface LabelSheetInput {
  setNo: string;
  caseNo: string;
  cause: string;
  /** What the discs prove, as the clerk wrote it (else each bundle's Evidentiary-Purpose). */
  purpose: string | null;
  discs: LabelDisc[];
  timeZone: string;
  fonts?: FontBytes;
}

/** Text size of the disc record's rows. */
const ROW = 9;

function first(info: Record<string, string[]>, label: string): string {
  return info[label]?.[0] ?? '';
}

/** A bag-info time (ISO 8601 with its offset) in the agency's zone, as written everywhere else. */
function bagTime(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? dateTimeIn(ms, tz) : iso;
}

/** `2026-12-06 15:08:02 至 15:38:10`, the date again only when it changed. */
function span(startIso: string, endIso: string, tz: string): string {
  const a = bagTime(startIso, tz);
  const b = bagTime(endIso, tz);
  return a.slice(0, 10) === b.slice(0, 10) && a.length === b.length
    ? `${a} 至 ${b.slice(11)}`
    : `${a} 至 ${b}`;
}

/** The label sheet and disc record: one A4 page per physical disc. */
export async function renderLabelSheet(input: LabelSheetInput): Promise<Uint8Array> {
  const tz = input.timeZone;
  const { pdf, font, metrics } = await newDoc(
    input.fonts,
    `光盘标签及制作说明 ${input.caseNo} ${input.setNo}`,
  );
  const w = new Writer(pdf, font, metrics);
  for (const d of input.discs) {
    w.newPage();
    const page = w.page;
    // The disc label: 116 mm across with a 41 mm hub, to cut out or print on label paper.
    const cx = A4[0] / 2;
    // 10 mm from the top edge: the label sits high so the record below it fits the page.
    const cy = A4[1] - 10 * MM - 58 * MM;
    page.drawCircle({
      x: cx,
      y: cy,
      size: 58 * MM,
      borderColor: GREY,
      borderWidth: 0.6,
      borderDashArray: [3, 3],
    });
    page.drawCircle({
      x: cx,
      y: cy,
      size: 20.5 * MM,
      borderColor: GREY,
      borderWidth: 0.6,
      borderDashArray: [3, 3],
    });
    const centre = (text: string, y: number, size: number) => {
      const t = w.clean(text);
      page.drawText(t, { x: cx - metrics.width(t, size) / 2, y, size, font, color: INK });
    };
    centre('行政执法音像证据', cy + 44 * MM, 11);
    centre(input.caseNo, cy + 37 * MM, 12);
    const cause = w.wrap(input.cause, 9, 70 * MM).slice(0, 2);
    cause.forEach((l, i) => centre(l, cy + 31 * MM - i * 11, 9));
    centre(
      `第 ${d.discNumber}/${d.discCount} 张 · 副本 ${d.copyNumber}/${d.copies}`,
      cy - 27 * MM,
      10,
    );
    centre(d.serial, cy - 33 * MM, 9);
    centre(`${MEDIA[d.medium].label} · ${d.volumeId}`, cy - 38.5 * MM, 8);
    centre(`制作 ${dateTimeIn(d.madeAt, tz, false)} ${d.madeBy}`, cy - 44 * MM, 8);
    // The first bundle's QR on the label's right wing.
    const b0 = d.bundles[0];
    if (b0) drawQr(w, qrPayload(b0.tagManifestSha512), cx + 24 * MM, cy + 11 * MM, 22 * MM);
    page.drawText(w.clean('沿虚线剪下，贴于光盘'), {
      x: w.margin,
      y: cy - 58 * MM - 4,
      size: 7,
      font,
      color: GREY,
    });

    w.y = cy - 60 * MM;
    w.text('光盘制作说明', { size: 12, gap: 1 });
    w.text(zoneNote(tz, d.madeAt), { size: 8, color: GREY, gap: 4 });
    w.row('案件编号', input.caseNo, ROW);
    w.row('案由（事由）', input.cause, ROW);
    w.row(
      '光盘',
      `第 ${d.discNumber} 张，共 ${d.discCount} 张；副本 ${d.copyNumber}/${d.copies}；编号 ${d.serial}；卷标 ${d.volumeId}；${MEDIA[d.medium].label}`,
      ROW,
    );
    w.row('制作人及时间', `${d.madeBy}，${dateTimeIn(d.madeAt, tz)}`, ROW);
    w.row('制作方法', d.productionMethod, ROW);
    w.row('核验', d.verification, ROW);
    w.row(
      '证书登记册',
      d.registerSha256
        ? `盘上 agency-register.json 的 SHA-256：${d.registerSha256}（核验封存包签名者时与本机构公布的值比对）`
        : '未登记机构证书（签名者须以证书指纹或标签清单哈希核实）',
      ROW,
    );
    const purposes = [
      ...new Set(d.bundles.map((b) => first(b.info, 'Evidentiary-Purpose')).filter(Boolean)),
    ];
    const discPurpose = input.purpose ?? purposes.join('；');
    w.row('证明对象', discPurpose, ROW);
    w.rule();
    for (const b of d.bundles) {
      const qrSide = 20 * MM;
      const title = `封存包 ${b.name}${b.part ? `（第 ${b.part.number}/${b.part.of} 部分，其余文件见同批次其他光盘）` : ''}`;
      const officers = (b.info['Officer'] ?? []).join('；');
      const purpose = first(b.info, 'Evidentiary-Purpose');
      // What the bundle's own bag-info says in full (how it was recorded and sealed) is not
      // repeated here: the sheet names the bundle, its times, people and place, and its hash.
      const facts: [string, string][] = [
        [
          '时间地点',
          `${span(first(b.info, 'Recording-Start'), first(b.info, 'Recording-End'), tz)}，${first(b.info, 'Place')}`,
        ],
        ['执法人员', officers],
        ['当事人', (b.info['Party'] ?? []).join('；')],
        ['封存', `${first(b.info, 'Made-By')} ${bagTime(first(b.info, 'Made-At'), tz)}`],
        ...(purpose && purpose !== discPurpose ? [['证明对象', purpose] as [string, string]] : []),
        ['标签清单 SHA-512', b.tagManifestSha512],
      ];
      const size = 8;
      const lead = size * 1.4;
      const valueWidth = A4[0] - 2 * w.margin - qrSide - 4 - 24 * MM;
      const wrapped = facts.map(([l, v]) => [l, w.wrap(v || '—', size, valueWidth)] as const);
      const titleLines = w.wrap(title, 10, A4[0] - 2 * w.margin - qrSide - 6);
      // A bundle is never split: what does not fit below goes whole onto a page of its own.
      const height = Math.max(
        titleLines.length * 10 * 1.45 + wrapped.reduce((n, [, ls]) => n + ls.length, 0) * lead,
        qrSide,
      );
      if (w.y - height < w.margin + 12) {
        w.newPage();
        w.text(`光盘制作说明（续）· ${d.serial}`, { size: 9, color: GREY, gap: 4 });
      }
      const top = w.y;
      w.text(title, { size: 10, width: A4[0] - 2 * w.margin - qrSide - 6 });
      for (const [l, lines] of wrapped) {
        w.page.drawText(w.clean(l), { x: w.margin, y: w.y - lead, size, font, color: GREY });
        for (const line of lines) {
          w.y -= lead;
          w.page.drawText(line, { x: w.margin + 24 * MM, y: w.y, size, font, color: INK });
        }
      }
      drawQr(w, qrPayload(b.tagManifestSha512), A4[0] - w.margin - qrSide, top, qrSide);
      w.y = Math.min(w.y, top - qrSide) - 8;
    }
    w.page.drawText(
      w.clean(
        '二维码内容为 attest-tagmanifest-sha512:<该封存包 tagmanifest-sha512.txt 的 SHA-512>，可与光盘上核验页面显示的值比对。',
      ),
      {
        x: w.margin,
        y: w.margin - 4,
        size: 7,
        font,
        color: GREY,
      },
    );
  }
  return pdf.save();
}

const KIND_ZH: Record<CaseFileIndexDto['entries'][number]['kind'], string> = {
  'case-opened': '立案',
  session: '执法活动',
  transcript: '笔录',
  bundle: '封存包',
  replica: '异地存储',
  disc: '证据光盘',
  phase: '阶段',
  approval: '审批',
  document: '执法文书',
  service: '送达',
  execution: '执行',
};

/** The case file index (案卷目录), R5.2. */
export async function renderCaseFileIndex(
  idx: CaseFileIndexDto,
  opts: { timeZone: string; fonts?: FontBytes; signOff?: FilingSignOff },
): Promise<Uint8Array> {
  const tz = opts.timeZone;
  const { pdf, font, metrics } = await newDoc(opts.fonts, `案卷目录 ${idx.caseNo}`);
  const cols = [12 * MM, 30 * MM, 20 * MM, 50 * MM];
  const w = Writer.withRunningHeader(pdf, font, metrics, `案卷目录 · ${idx.caseNo}`);
  w.newPage();
  w.title('案卷目录', zoneNote(tz, idx.generatedAt));
  w.row('案件编号', idx.caseNo);
  w.row('案由', idx.cause);
  w.row(
    '办结时间',
    idx.matterEndedAt
      ? dateTimeIn(idx.matterEndedAt, tz)
      : '尚未办结（自最后一个处理决定或执行完毕时起算）',
  );
  const status = FILING_STATUS_ZH[idx.deadlineStatus];
  w.row(
    '归档期限',
    idx.deadline
      ? `${dateTimeIn(idx.deadline, tz)}（办结后 ${idx.filingDays} 日；${status}）`
      : `办结后 ${idx.filingDays} 日`,
  );
  w.row('编制时间', dateTimeIn(idx.generatedAt, tz));
  w.rule();
  w.table(
    ['序号', '时间', '类别', '名称', '内容及存放位置'],
    cols,
    idx.entries.map((e, i) => [
      String(i + 1),
      e.at ? dateTimeIn(e.at, tz, false) : '—',
      KIND_ZH[e.kind],
      e.title,
      [e.detail, e.location ? `存放：${e.location}` : ''].filter(Boolean).join('\n'),
    ]),
    { rules: true },
  );
  const s = opts.signOff;
  if (s) {
    w.rule();
    w.row('立卷人', s.compiledBy);
    signatureLine(w, `审核人 ${s.reviewedBy} 签名`, s.handwriting, dateCn(s.at, tz));
  }
  w.numberPages();
  if (!s) return pdf.save();
  const pages = pdf.getPages();
  return signAndSave(pdf, pages[pages.length - 1]!, s.signer, {
    signingTime: new Date(s.at),
    reason: '卷内目录',
  });
}

/** Where a case stands against its filing deadline, as the index prints it. */
export const FILING_STATUS_ZH: Record<FilingStatus, string> = {
  not_started: '未起算',
  ok: '期限内',
  warn: '即将到期',
  overdue: '已逾期',
  filed: '已按期归档',
  filed_late: '逾期归档',
};
