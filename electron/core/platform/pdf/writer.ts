/**
 * A4 documents of running text in the bundled CJK font: label–value rows, wrapped paragraphs,
 * rules, new pages with a running header. The disc label sheet, the case-file index and the
 * audit report are written with it.
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import * as fontkit from 'fontkit';
import { compactingFontkit } from './cff-compact';
import { FontMetrics, loadFontBytes, type FontBytes } from './fonts';
import { offsetText } from '../../../shared/time';

export const A4: [number, number] = [595.28, 841.89];
export const MM = 72 / 25.4;
export const INK = rgb(0.1, 0.1, 0.12);
export const GREY = rgb(0.42, 0.44, 0.48);

/** `文中时间均为 Asia/Shanghai 时区（UTC+08:00）`: said once, under a document's title. */
export function zoneNote(tz: string, at: number): string {
  return `文中时间均为 ${tz} 时区（UTC${offsetText(at, tz)}）`;
}

export class Writer {
  page!: PDFPage;
  y = 0;
  readonly margin = 18 * MM;
  constructor(
    readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly metrics: FontMetrics,
    private readonly header?: (w: Writer) => void,
  ) {}

  /** A writer whose every page carries `text` small and grey at its top. */
  static withRunningHeader(
    pdf: PDFDocument,
    font: PDFFont,
    metrics: FontMetrics,
    text: string,
  ): Writer {
    return new Writer(pdf, font, metrics, (w) =>
      w.page.drawText(w.clean(text), {
        x: w.margin,
        y: A4[1] - 12 * MM,
        size: 8,
        font,
        color: GREY,
      }),
    );
  }

  /** The document's title and, under it, a grey line (what its times are in, say). */
  title(title: string, note: string): void {
    this.text(title, { size: 18, gap: 2 });
    this.text(note, { size: 9, color: GREY, gap: 6 });
  }

  newPage(): void {
    this.page = this.pdf.addPage(A4);
    this.page.setFont(this.font);
    this.y = A4[1] - this.margin;
    this.header?.(this);
  }

  /** Characters the font lacks are drawn as '?' rather than failing the document. */
  clean(text: string): string {
    const missing = new Set(this.metrics.missing(text));
    return missing.size ? [...text].map((c) => (missing.has(c) ? '?' : c)).join('') : text;
  }

  /**
   * Lines of at most `width`: Chinese breaks between any two characters, a Latin word or
   * number only at its ends (one longer than a line, such as a hash, breaks where it must).
   */
  wrap(text: string, size: number, width: number): string[] {
    const out: string[] = [];
    const fits = (s: string) => this.metrics.width(s, size) <= width;
    for (const para of this.clean(text).split('\n')) {
      let line = '';
      for (const token of para.match(/[!-~\u00a1-\u024f]+|\s|./gu) ?? []) {
        if (fits(line + token)) {
          line += token;
          continue;
        }
        if (line.trim()) out.push(line.trimEnd());
        line = '';
        if (!token.trim()) continue;
        for (const ch of token) {
          if (line && !fits(line + ch)) {
            out.push(line);
            line = '';
          }
          line += ch;
        }
      }
      out.push(line.trimEnd());
    }
    return out;
  }

  ensure(height: number): void {
    if (this.y - height < this.margin + 12) this.newPage();
  }

  text(
    text: string,
    o: {
      size?: number;
      x?: number;
      width?: number;
      color?: ReturnType<typeof rgb>;
      gap?: number;
    } = {},
  ): void {
    const size = o.size ?? 10;
    const x = o.x ?? this.margin;
    const width = o.width ?? A4[0] - this.margin - x;
    for (const line of this.wrap(text, size, width)) {
      this.ensure(size * 1.5);
      this.y -= size * 1.45;
      this.page.drawText(line, { x, y: this.y, size, font: this.font, color: o.color ?? INK });
    }
    this.y -= o.gap ?? 0;
  }

  /** A label–value row; the value wraps under itself. */
  row(label: string, value: string, size = 10, labelWidth = 32 * MM): void {
    const lines = this.wrap(value || '—', size, A4[0] - 2 * this.margin - labelWidth);
    this.ensure(size * 1.5 * Math.min(lines.length, 3));
    const top = this.y;
    this.page.drawText(this.clean(label), {
      x: this.margin,
      y: top - size * 1.45,
      size,
      font: this.font,
      color: GREY,
    });
    lines.forEach((l, i) => {
      if (i > 0) this.ensure(size * 1.5);
      this.y -= size * 1.45;
      this.page.drawText(l, {
        x: this.margin + labelWidth,
        y: this.y,
        size,
        font: this.font,
        color: INK,
      });
    });
    this.y -= 2;
  }

  rule(): void {
    this.y -= 4;
    this.page.drawLine({
      start: { x: this.margin, y: this.y },
      end: { x: A4[0] - this.margin, y: this.y },
      thickness: 0.5,
      color: GREY,
    });
    this.y -= 2;
  }

  /**
   * A table that runs over pages, its header repeated on each: every cell wraps within its
   * column; the last column takes what is left of the line. `rules` draws a hairline under
   * each row.
   */
  table(
    headers: readonly string[],
    widths: readonly number[],
    rows: readonly (readonly string[])[],
    o: { size?: number; rules?: boolean } = {},
  ): void {
    const size = o.size ?? 8.5;
    const lead = size * 1.45;
    const rest = A4[0] - 2 * this.margin - widths.reduce((a, b) => a + b, 0);
    const cols = headers.map((_, i) => widths[i] ?? rest);
    const head = () => {
      this.ensure(20);
      this.y -= 13;
      let x = this.margin;
      headers.forEach((h, i) => {
        this.page.drawText(this.clean(h), { x, y: this.y, size: 9, font: this.font, color: GREY });
        x += cols[i]!;
      });
      this.y -= 4;
    };
    head();
    for (const row of rows) {
      const cells = row.map((t, i) => this.wrap(t, size, cols[i]! - 4));
      const height = Math.max(1, ...cells.map((l) => l.length)) * lead + 4;
      if (this.y - height < this.margin + 12) {
        this.newPage();
        head();
      }
      const top = this.y;
      let x = this.margin;
      cells.forEach((lines, i) => {
        lines.forEach((l, k) =>
          this.page.drawText(l, { x, y: top - (k + 1) * lead, size, font: this.font, color: INK }),
        );
        x += cols[i]!;
      });
      this.y = top - height;
      if (o.rules)
        this.page.drawLine({
          start: { x: this.margin, y: this.y + 1 },
          end: { x: A4[0] - this.margin, y: this.y + 1 },
          thickness: 0.3,
          color: rgb(0.85, 0.86, 0.88),
        });
    }
  }

  /** `第 i 页 共 n 页` at the foot of every page. */
  numberPages(): void {
    const pages = this.pdf.getPages();
    pages.forEach((p, i) => {
      const t = `第 ${i + 1} 页 共 ${pages.length} 页`;
      p.drawText(t, {
        x: (A4[0] - this.metrics.width(t, 8)) / 2,
        y: 10 * MM,
        size: 8,
        font: this.font,
        color: GREY,
      });
    });
  }
}

export async function newDoc(
  fonts: FontBytes | undefined,
  title: string,
): Promise<{ pdf: PDFDocument; font: PDFFont; metrics: FontMetrics }> {
  const bytes = fonts ?? loadFontBytes();
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(
    compactingFontkit(fontkit) as unknown as Parameters<PDFDocument['registerFontkit']>[0],
  );
  const font = await pdf.embedFont(bytes.regular, { subset: true });
  pdf.setTitle(title);
  pdf.setCreator('Attest');
  pdf.setProducer('Attest (@cantoo/pdf-lib)');
  return { pdf, font, metrics: FontMetrics.for(bytes) };
}
