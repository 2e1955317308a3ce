/**
 * Pagination of a transcript into A4 pages of drawing instructions. The layout is pure
 * data (positions in PDF points, origin bottom left) so that the signing tablet can show
 * the pages exactly as they will print, and know where each signature goes, before anyone
 * signs: the party signs page i of n, and the PDF must have the same n.
 */
import { canonicalSha256 } from './canonical';
import type { FontMetrics } from './fonts';
import { atomize } from './linebreak';
import type { Correction, Officer, StepMark, Transcript } from './model';
import type { TranscriptTemplates } from './templates';
import { formatElapsed, formatSpanCn } from './time';

import {
  BODY,
  PITCH,
  BASE,
  LEFT,
  TEXT_W,
  RIGHT,
  TOP,
  BODY_BOTTOM,
  FOOTER_Y,
  SEAM_SPAN,
  SIG_LABEL_Y,
  SIGNER_ROW,
  STYLE,
  type Ctx,
  text,
  rule,
  newPage,
  ensure,
  paragraph,
  turnAtoms,
} from './layout-flow';
export { PAGE_HEIGHT, PAGE_WIDTH, seamGeometry } from './layout-flow';
import { PAGE_HEIGHT, PAGE_WIDTH, seamGeometry } from './layout-flow';
export * from './layout-types';
import {
  GRAY,
  LIGHT,
  type LayoutMode,
  type PageLayout,
  type TranscriptLayout,
} from './layout-types';

function officerList(officers: Officer[]): string {
  return officers.map((o) => `${o.name}（执法证号：${o.certificateNo}）`).join('、');
}

function header(ctx: Ctx): void {
  const h = ctx.transcript.header;
  const measure = (s: string): number => ctx.metrics.width(s, BODY);
  let y = TOP;
  if (h.agency) {
    const w = ctx.metrics.width(h.agency, 15);
    text(ctx, (PAGE_WIDTH - w) / 2, y - 15, h.agency, 15);
    y -= 24;
  }
  // The title spaced out, as printed forms set it (询 问 笔 录); en spaces for the reason
  // given at the footer.
  const title = Array.from(ctx.form.title).join('\u2002');
  const face = ctx.metrics.face(title, 'bold');
  const tw = ctx.metrics.width(title, 22, face);
  text(ctx, (PAGE_WIDTH - tw) / 2, y - 24, title, 22, { face: 'bold' });
  y -= 40;
  ctx.y = y;

  const row = (label: string, value: string): void =>
    paragraph(ctx, atomize(value || '—', STYLE.normal, measure), { label, underline: true });
  const seq = h.sequence ? `（${ctx.form.sequence.replace('{n}', String(h.sequence))}）` : '';
  row('案号', `${h.caseNumber}${seq}`);
  row(
    ctx.form.timeLabel,
    formatSpanCn(h.recording.startedAt, h.recording.endedAt, h.recording.timeZone),
  );
  row(ctx.form.placeLabel, h.place);
  if (h.subject) row(ctx.form.subjectLabel ?? '检查对象及项目', h.subject);
  if (h.moderator) row('主持人', officerList([h.moderator]));
  if (h.panel?.length) row('听证员', officerList(h.panel));
  row(ctx.form.officersLabel, officerList(h.officers));
  row(ctx.form.recorderLabel, officerList([h.recorder]));
  const p = h.party;
  // 被询问人：赵六（男，1949年12月31日出生，汉族）, as the forms write a person's particulars.
  const particulars = [
    p.gender,
    p.birthDate ? `${p.birthDate}出生` : undefined,
    p.ethnicity,
  ].filter(Boolean);
  row(ctx.form.partyLabel, particulars.length ? `${p.name}（${particulars.join('，')}）` : p.name);
  row('身份证件', `${p.idType} ${p.idNumber}`);
  if (p.employer) row('工作单位及职务', p.employer);
  if (p.address) row('住址', p.address);
  if (p.contact) row('联系方式', p.contact);
  if (p.relation) row('与本案关系', p.relation);
  const others = h.others
    .map(
      (o) =>
        `${o.role} ${o.name}${o.idNumber ? `（${o.idNumber}）` : ''}${o.note ? ` ${o.note}` : ''}`,
    )
    .join('；');
  row('其他在场人员', others || '无');
  row('案由', h.cause);
  ctx.y -= 6;
}

/** A row of officers' signature slots under one label. */
interface OfficerGroup {
  role: string;
  officers: Officer[];
}

/** The officers who sign, by role: 主持人 (hearings), the officers, the recorder. */
function officerGroups(ctx: Ctx): OfficerGroup[] {
  const h = ctx.transcript.header;
  const groups: OfficerGroup[] = [];
  if (h.moderator) groups.push({ role: '主持人', officers: [h.moderator] });
  if (h.panel?.length) groups.push({ role: '听证员', officers: h.panel });
  // Whoever read the record aloud signs as its reader too (宣读人).
  if (h.readAloud) groups.push({ role: '宣读人', officers: [h.readAloud.reader] });
  groups.push({ role: ctx.form.officersLabel, officers: h.officers });
  groups.push({ role: ctx.form.recorderLabel, officers: [h.recorder] });
  return groups;
}

/** The officers' signature rows on the last page. */
function officerSlots(ctx: Ctx, groups: OfficerGroup[]): void {
  const boxW = 130;
  const boxH = 30;
  for (const g of groups) {
    const label = `${g.role}签名：`;
    const labelW = ctx.metrics.width(label, BODY);
    const perRow = Math.max(1, Math.floor((TEXT_W - labelW + 14) / (boxW + 14)));
    // A group's rows stay together on one page (the label is printed with the first row).
    ensure(ctx, Math.ceil(g.officers.length / perRow) * (boxH + 26));
    for (let i = 0; i < g.officers.length; i += perRow) {
      ensure(ctx, boxH + 26);
      const top = ctx.y;
      if (i === 0) text(ctx, LEFT, top - boxH + 6, label, BODY);
      g.officers.slice(i, i + perRow).forEach((o, j) => {
        const x = LEFT + labelW + j * (boxW + 14);
        const box = { x, y: top - boxH, w: boxW, h: boxH };
        rule(ctx, x, box.y + 2, x + boxW, box.y + 2, 0.4, GRAY);
        text(ctx, x, box.y - 8, `${o.name}（执法证号：${o.certificateNo}）`, 7, { color: GRAY });
        ctx.page.items.push({
          kind: 'slot',
          slot: { type: 'officer', role: g.role, certificateNo: o.certificateNo },
          box,
          dateAt: { x, y: box.y - 17, size: 7 },
        });
      });
      ctx.y -= boxH + 26;
    }
  }
}

/** A step of the order as a heading in the flow, its time in the margin: 【质证】. */
function stepHeading(ctx: Ctx, step: StepMark, start: number): void {
  ensure(ctx, PITCH * 2);
  ctx.y -= 4;
  if (step.answer) {
    // The party's answer to the step's notice beside it: 【询问是否申请回避】：当事人不申请回避.
    const measure = (s: string): number => ctx.metrics.width(s, BODY);
    paragraph(ctx, atomize(step.answer, STYLE.normal, measure), {
      label: `【${step.name}】`,
      labelFace: 'bold',
      gutter: formatElapsed(step.atMs - start),
    });
    return;
  }
  const baseline = ctx.y - BASE;
  text(ctx, LEFT, baseline, `【${step.name}】`, BODY, { face: 'bold' });
  const gutter = formatElapsed(step.atMs - start);
  const w = ctx.metrics.width(gutter, 7);
  text(ctx, LEFT - 4 - w, baseline + 1, gutter, 7, { color: GRAY });
  ctx.y -= PITCH;
}

/** The other signers with their printed names (`委托代理人王明`), 1-based. */
function otherSigners(ctx: Ctx): { signer: number; label: string }[] {
  return (ctx.transcript.header.signers ?? []).map((o, i) => ({
    signer: i + 1,
    label: `${o.role}${o.name}`,
  }));
}

/** The other signers with a line on every page (where the form has them sign each page). */
function pageLineSigners(ctx: Ctx): { signer: number; label: string }[] {
  return ctx.form.othersSignPages !== false ? otherSigners(ctx) : [];
}

/** The other signers with a band of their own across the seam (where the form asks). */
function seamSigners(ctx: Ctx): { signer: number; label: string }[] {
  return ctx.form.othersSignSeam ? otherSigners(ctx) : [];
}

/** A closing statement's handwriting slot under a label. */
function closingSlot(ctx: Ctx, labelText: string, signer: number, keepWith: number): void {
  const label = `${labelText}：`;
  const labelW = Math.min(ctx.metrics.width(label, BODY), TEXT_W / 2);
  const boxH = 40;
  ensure(ctx, boxH + 18 + keepWith);
  const top = ctx.y;
  text(ctx, LEFT, top - boxH + 8, label, BODY);
  const box = { x: LEFT + labelW, y: top - boxH, w: TEXT_W - labelW, h: boxH };
  rule(ctx, box.x, box.y + 2, RIGHT, box.y + 2, 0.4, GRAY);
  ctx.page.items.push({
    kind: 'slot',
    slot: signer ? { type: 'closing', signer } : { type: 'closing' },
    box,
    captionAt: { x: box.x, y: box.y - 9, size: 7.5, maxWidth: box.w },
  });
  ctx.y -= boxH + 18;
}

/**
 * The party's closing statement (signed) or refusal note, each other signer's in turn, then
 * the officers' signatures.
 */
function closing(ctx: Ctx, mode: LayoutMode): void {
  const measure = (s: string): number => ctx.metrics.width(s, BODY);
  // Close the text where it ends, so nothing can be written into the space after it
  // on a printed copy (the paper habit of 以下空白).
  ensure(ctx, PITCH);
  const end = '（以下空白）';
  text(ctx, LEFT + (TEXT_W - ctx.metrics.width(end, 9)) / 2, ctx.y - BASE + 2, end, 9, {
    color: GRAY,
  });
  ctx.y -= PITCH;
  const refusalNote = (who: string, reason: string): void => {
    paragraph(ctx, atomize(`${who}拒绝在笔录上签名。拒签理由：${reason}`, STYLE.normal, measure), {
      label: '说明',
    });
    ctx.y -= 6;
  };
  const others = otherSigners(ctx);
  const reader = ctx.transcript.header.readAloud?.reader;
  if (reader) {
    const who = ctx.transcript.header.party.name;
    paragraph(
      ctx,
      atomize(
        `${who}不能阅读笔录，本笔录已由执法人员${reader.name}（执法证号：${reader.certificateNo}）向其宣读。`,
        STYLE.normal,
        measure,
      ),
      { label: '说明' },
    );
    ctx.y -= 6;
  }
  if (mode.kind === 'refused') refusalNote(ctx.form.partyLabel, mode.reason);
  // Keep the last closing statement with at least the first officer row.
  else closingSlot(ctx, ctx.form.partyOpinionLabel, 0, others.length ? 0 : 56);
  // The others' places stay as laid out whether they sign or refuse: their refusal comes after
  // earlier signers signed these pages, so it must not move a page. It is printed in their
  // places (render.ts), the reason in their closing statement's box.
  others.forEach((o, i) =>
    closingSlot(ctx, `${o.label}意见`, o.signer, i === others.length - 1 ? 56 : 0),
  );
  if (mode.kind === 'refused') {
    // Every officer present signs a record with a refusal noted, under one label (R2.2: two
    // or more).
    const seen = new Set<string>();
    const all = officerGroups(ctx)
      .flatMap((g) => g.officers)
      .filter((o) => !seen.has(o.certificateNo) && seen.add(o.certificateNo));
    officerSlots(ctx, [{ role: '执法人员', officers: all }]);
    return;
  }
  officerSlots(ctx, officerGroups(ctx));
}

/** One signer's signature line on a page: label, box and date, or their refusal. */
function pageSignatureLine(
  ctx: Ctx,
  page: PageLayout,
  y: number,
  labelText: string,
  signer: number,
  refusedNoteAt: number | null,
): void {
  const label = `${labelText}签名：`;
  const labelW = ctx.metrics.width(label, 10.5);
  text(ctx, LEFT, y, label, 10.5);
  if (refusedNoteAt !== null) {
    text(ctx, LEFT + labelW, y, `拒绝签名（见第${refusedNoteAt}页说明）`, 10.5, { color: GRAY });
    return;
  }
  const box = { x: LEFT + labelW, y: y - 8, w: 130, h: 30 };
  rule(ctx, box.x, y - 3, box.x + box.w, y - 3, 0.4, GRAY);
  const dateLabelX = box.x + box.w + 24;
  const dw = text(ctx, dateLabelX, y, '日期：', 10.5);
  rule(ctx, dateLabelX + dw, y - 3, RIGHT, y - 3, 0.4, GRAY);
  page.items.push({
    kind: 'slot',
    slot: signer
      ? { type: 'page', page: page.number, signer }
      : { type: 'page', page: page.number },
    box,
    dateAt: { x: dateLabelX + dw + 4, y, size: 10.5 },
  });
}

/** The per-page signature lines (the party's, then each other signer's), footer and seam. */
function pageFurniture(
  ctx: Ctx,
  page: PageLayout,
  n: number,
  mode: LayoutMode,
  hash: string,
): void {
  ctx.page = page;
  const others = pageLineSigners(ctx);
  // The party's line lowest, the others above it in turn, a faint rule above them all.
  const blockTop = SIG_LABEL_Y + 22 + others.length * SIGNER_ROW;
  rule(ctx, LEFT, blockTop, RIGHT, blockTop, 0.4, LIGHT);
  pageSignatureLine(
    ctx,
    page,
    SIG_LABEL_Y + others.length * SIGNER_ROW,
    ctx.form.partyLabel,
    0,
    mode.kind === 'refused' ? n : null,
  );
  others.forEach((o, i) =>
    pageSignatureLine(
      ctx,
      page,
      SIG_LABEL_Y + (others.length - 1 - i) * SIGNER_ROW,
      o.label,
      o.signer,
      null,
    ),
  );
  // En spaces (U+2002): the gap CJK typesetting wants around the numbers, and text
  // extraction (pdftotext) keeps them, where it drops plain spaces between CJK characters.
  const footer = `第\u2002${page.number}\u2002页\u2002共\u2002${n}\u2002页`;
  const fw = ctx.metrics.width(footer, 9);
  text(ctx, (PAGE_WIDTH - fw) / 2, FOOTER_Y, footer, 9);

  if (n < 2) return;
  const g = seamGeometry(n);
  // The party's seam band, and below it one for each other signer where the form has them
  // sign the seam too; together they keep to the middle of the page's edge.
  const seamOthers = seamSigners(ctx).map((o) => o.signer);
  // The party's row stays, signed or refused, so the others' bands never move.
  const rows = 1 + seamOthers.length;
  const seamers = [...(mode.kind === 'signed' ? [0] : []), ...seamOthers];
  const GAP = 12;
  const bandH = Math.min(g.band, (SEAM_SPAN - (rows - 1) * GAP) / rows);
  const total = rows * bandH + (rows - 1) * GAP;
  const lowest = (PAGE_HEIGHT - total) / 2 + 20;
  const stripX = PAGE_WIDTH - g.strip;
  // The cut line (drawn first, so the ink lies over it), and under the signatures the
  // document's hash along the strip.
  const seamLabel = `骑缝 ${hash.slice(0, 16)} ${page.number}/${n}`;
  const size = 5.5;
  const lw = ctx.metrics.width(seamLabel, size);
  rule(ctx, stripX, lowest - 8 - lw, stripX, lowest + total + 4, 0.4, LIGHT, [2, 2]);
  for (const signer of seamers) {
    // Signer 0 in the top row, the others below in turn.
    const bandY = lowest + (rows - 1 - signer) * (bandH + GAP);
    const strip = { x: stripX, y: bandY, w: g.strip, h: bandH };
    // Page i shows slice i: the band starts (i-1) strips to the left of this page's strip.
    const band = { x: stripX - (page.number - 1) * g.strip, y: bandY, w: n * g.strip, h: bandH };
    page.items.push(signer ? { kind: 'seam', strip, band, signer } : { kind: 'seam', strip, band });
  }
  text(ctx, stripX + g.strip / 2 + size * 0.35, lowest - 6 - lw, seamLabel, size, {
    color: GRAY,
    rotate: 90,
  });
}

/** Options for {@link layoutTranscript}. */
export interface LayoutOptions {
  metrics: FontMetrics;
  templates: TranscriptTemplates;
}

/**
 * Lay out a transcript. The result depends only on the transcript, the mode and the fonts,
 * never on the handwriting, so the tablet can lay it out before signing and the PDF after
 * will have the same pages.
 */
export function layoutTranscript(
  transcript: Transcript,
  mode: LayoutMode,
  opts: LayoutOptions,
): TranscriptLayout {
  const ctx: Ctx = {
    metrics: opts.metrics,
    form: opts.templates.kinds[transcript.kind],
    transcript,
    bodyBottom: BODY_BOTTOM,
    pages: [],
    page: { number: 1, items: [] },
    y: TOP,
  };
  // The body stops above every signer's line on the page.
  ctx.bodyBottom += pageLineSigners(ctx).length * SIGNER_ROW;
  newPage(ctx);
  header(ctx);

  const start = transcript.header.recording.startMs;
  const measure = (s: string): number => opts.metrics.width(s, BODY);
  for (const p of transcript.procedures) {
    paragraph(ctx, atomize(p.statement, STYLE.normal, measure), {
      label: p.speaker,
      gutter: formatElapsed(p.atMs - start),
    });
    if (p.response !== undefined) {
      paragraph(ctx, atomize(p.response, STYLE.normal, measure), {
        label: p.responder ?? ctx.form.speakers[1] ?? '答',
      });
    }
  }
  // The notices given and the party's answers (告知事项), before what was said.
  for (const n of transcript.notices ?? []) {
    paragraph(ctx, atomize(n.answer ?? '已告知', STYLE.normal, measure), {
      label: `告知事项·${n.name}`,
      gutter: formatElapsed(n.atMs - start),
    });
  }
  const byTurn = new Map<string, Correction[]>();
  for (const c of transcript.corrections) {
    byTurn.set(c.turnId, [...(byTurn.get(c.turnId) ?? []), c]);
  }
  // Each step of the order heads the turns said after it was marked.
  const steps = [...(transcript.steps ?? [])];
  const stepsUntil = (atMs: number): void => {
    while (steps.length && steps[0]!.atMs <= atMs) stepHeading(ctx, steps.shift()!, start);
  };
  for (const turn of transcript.turns) {
    stepsUntil(turn.atMs);
    paragraph(ctx, turnAtoms(ctx, turn.text, byTurn.get(turn.id) ?? []), {
      label: turn.speaker,
      gutter: formatElapsed(turn.atMs - start),
    });
  }
  stepsUntil(Infinity);
  closing(ctx, mode);

  const contentHash = canonicalSha256(transcript);
  const n = ctx.pages.length;
  for (const page of ctx.pages) pageFurniture(ctx, page, n, mode, contentHash);
  return { width: PAGE_WIDTH, height: PAGE_HEIGHT, pageCount: n, pages: ctx.pages, contentHash };
}
