/**
 * The flow of a laid-out transcript: the page's measures, drawing instructions (text and
 * rules), pages with their running head, and paragraphs broken into lines with their labels,
 * margins and corrections. layout.ts builds the document's parts with these.
 */
import type { FontFace, FontMetrics } from './fonts';
import { atomize, breakLines } from './linebreak';
import type { Atom } from './linebreak';
import type { Correction, Transcript } from './model';
import type { FormTemplate } from './templates';
import { BLACK, GRAY, LIGHT, type Color, type PageLayout } from './layout-types';

export const MM = 72 / 25.4;
/** A4 in points. */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;

export const BODY = 12; // 小四
export const PITCH = 22; // line pitch of the body
export const BASE = 15.5; // baseline below the top of a line box
export const LEFT = 28 * MM; // binding side
export const TEXT_W = 37 * BODY; // 37 full-width characters: CJK lines end flush
export const RIGHT = LEFT + TEXT_W;
export const TOP = PAGE_HEIGHT - 18 * MM;
export const BODY_BOTTOM = 40 * MM; // above the per-page signature block
export const FOOTER_Y = 10 * MM;
export const SIG_LABEL_Y = 24 * MM; // baseline of the per-page signature line
export const SIGNER_ROW = 30; // each further signer's per-page line sits this much higher
export const HANG = BODY; // a closing mark may hang one character into the margin
export const SEAM_MIN = 6 * MM;
export const SEAM_MAX = 15 * MM;
export const SEAM_BAND_MIN = 20 * MM;
export const SEAM_BAND_MAX = 70 * MM;
/** The height of the page's edge the seam bands share, when several sign across it. */
export const SEAM_SPAN = 210 * MM;
export const INITIALS_W = 3.5 * BODY;

/** Seam strip width and band height for `n` pages. */
export function seamGeometry(n: number): { strip: number; band: number } {
  const strip = Math.min(SEAM_MAX, Math.max(SEAM_MIN, (90 * MM) / n));
  // A signature is about three times as wide as it is tall.
  const band = Math.min(SEAM_BAND_MAX, Math.max(SEAM_BAND_MIN, (n * strip) / 3));
  return { strip, band };
}

/** Styles the breaker carries for the body text. */
export const STYLE = { normal: 0, struck: 1, inserted: 2 } as const;

export interface Ctx {
  metrics: FontMetrics;
  form: FormTemplate;
  transcript: Transcript;
  /** Where the body text stops: above the per-page signature lines. */
  bodyBottom: number;
  pages: PageLayout[];
  page: PageLayout;
  /** Top of the next line box. */
  y: number;
}

/** Coordinates to 1/100 pt: finer than any printer, and the content streams stay small. */
export const r2 = (v: number): number => Math.round(v * 100) / 100;

export function text(
  ctx: Ctx,
  x: number,
  y: number,
  s: string,
  size: number,
  opts: { face?: FontFace; color?: Color; rotate?: number; notInText?: true } = {},
): number {
  const font = ctx.metrics.face(s, opts.face ?? 'regular');
  ctx.page.items.push({
    kind: 'text',
    x: r2(x),
    y: r2(y),
    size,
    text: s,
    font,
    color: opts.color ?? BLACK,
    ...(opts.rotate ? { rotate: opts.rotate } : {}),
    ...(opts.notInText ? { notInText: true } : {}),
  });
  return ctx.metrics.width(s, size, font);
}

export function rule(
  ctx: Ctx,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  width = 0.5,
  color = BLACK,
  dash?: [number, number],
): void {
  ctx.page.items.push({
    kind: 'rule',
    x1: r2(x1),
    y1: r2(y1),
    x2: r2(x2),
    y2: r2(y2),
    width,
    color,
    ...(dash ? { dash } : {}),
  });
}

export function newPage(ctx: Ctx): void {
  ctx.page = { number: ctx.pages.length + 1, items: [] };
  ctx.pages.push(ctx.page);
  ctx.y = TOP;
  if (ctx.page.number > 1) {
    // A running head, so a loose page still names its document.
    const h = ctx.transcript.header;
    const head = `${ctx.form.title}（续）  案号：${h.caseNumber}`;
    text(ctx, LEFT, TOP + 4, head, 8, { color: GRAY });
    rule(ctx, LEFT, TOP, RIGHT, TOP, 0.4, LIGHT);
    ctx.y = TOP - 8;
  }
}

/** Make room for `height` points of flow, starting a page if needed. */
export function ensure(ctx: Ctx, height: number): void {
  if (ctx.y - height < ctx.bodyBottom) newPage(ctx);
}

export interface ParagraphOptions {
  /** Label before the text, e.g. 问 (a full-width colon is added). */
  label: string;
  labelFace?: FontFace;
  /** Time printed in the left margin beside the first line. */
  gutter?: string;
  /** Underline each line's text area, as the blanks of a printed form. */
  underline?: boolean;
}

/** Lay out one paragraph with a hanging indent after its label. */
export function paragraph(ctx: Ctx, atoms: Atom[], o: ParagraphOptions): void {
  const label = `${o.label}：`;
  const labelFace = ctx.metrics.face(label, o.labelFace ?? 'regular');
  const labelW = ctx.metrics.width(label, BODY, labelFace);
  // Hang under the text for short labels (问：/答：); long ones (委托代理人：) indent 2 em.
  const indent = labelW <= 4 * BODY ? labelW : 2 * BODY;
  const measure = (s: string): number => ctx.metrics.width(s, BODY);
  const lines = breakLines(atoms, TEXT_W - labelW, TEXT_W - indent, HANG, measure);
  lines.forEach((line, i) => {
    ensure(ctx, PITCH);
    const baseline = ctx.y - BASE;
    let x = LEFT + (i === 0 ? labelW : indent);
    if (i === 0) {
      text(ctx, LEFT, baseline, label, BODY, { face: labelFace });
      if (o.gutter) {
        const w = ctx.metrics.width(o.gutter, 7);
        text(ctx, LEFT - 4 - w, baseline + 1, o.gutter, 7, { color: GRAY });
      }
    }
    if (o.underline) rule(ctx, x, baseline - 3, RIGHT, baseline - 3, 0.4, GRAY);
    // Draw runs of one style as one text item.
    let run = '';
    let runStyle: number = STYLE.normal;
    let runX = x;
    const flush = (): void => {
      if (!run) return;
      const struck = runStyle === STYLE.struck;
      const w = text(
        ctx,
        runX,
        baseline,
        run,
        BODY,
        struck ? { color: GRAY, notInText: true } : {},
      );
      if (struck) {
        // Crossed out but still legible, as on paper: the old words stay on the record.
        rule(ctx, runX, baseline + BODY * 0.3, runX + w, baseline + BODY * 0.3, 0.8);
      } else if (runStyle === STYLE.inserted) {
        rule(ctx, runX, baseline - 2.2, runX + w, baseline - 2.2, 0.7);
      }
      run = '';
    };
    for (const atom of line.atoms) {
      if (atom.box) {
        flush();
        const correction = atom.box as Correction;
        const box = { x: x + 2, y: baseline - 5, w: atom.width - 4, h: PITCH - 3 };
        // A faint frame marks the place of the party's confirmation at the change (R2.2).
        rule(ctx, box.x, box.y, box.x + box.w, box.y, 0.3, LIGHT);
        rule(ctx, box.x, box.y + box.h, box.x + box.w, box.y + box.h, 0.3, LIGHT);
        rule(ctx, box.x, box.y, box.x, box.y + box.h, 0.3, LIGHT);
        rule(ctx, box.x + box.w, box.y, box.x + box.w, box.y + box.h, 0.3, LIGHT);
        ctx.page.items.push({
          kind: 'slot',
          slot: { type: 'initials', correctionId: correction.id },
          box,
        });
        x += atom.width;
        runX = x;
        continue;
      }
      if (atom.style !== runStyle) {
        flush();
        runStyle = atom.style;
        runX = x;
      }
      if (!run) runX = x;
      run += atom.text;
      x += atom.width;
    }
    flush();
    ctx.y -= PITCH;
  });
}

/** Atoms of a turn's text with its corrections shown: old text struck, new underlined, initials. */
export function turnAtoms(ctx: Ctx, textValue: string, corrections: Correction[]): Atom[] {
  const measure = (s: string): number => ctx.metrics.width(s, BODY);
  const atoms: Atom[] = [];
  let at = 0;
  for (const c of [...corrections].sort((a, b) => a.start - b.start)) {
    atoms.push(...atomize(textValue.slice(at, c.start), STYLE.normal, measure));
    atoms.push(...atomize(c.originalText, STYLE.struck, measure));
    atoms.push(...atomize(c.newText, STYLE.inserted, measure));
    atoms.push({ text: '', width: INITIALS_W, style: STYLE.normal, box: c });
    at = c.end;
  }
  atoms.push(...atomize(textValue.slice(at), STYLE.normal, measure));
  return atoms;
}
