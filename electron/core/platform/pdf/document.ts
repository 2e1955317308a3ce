/**
 * Documents an agency issues (执法文书: 行政处罚决定书, 送达回证 …) printed from templates it
 * edits without code: `resources/templates/documents/*.json` name the fields a document
 * asks for and the blocks it prints them in. The PDF is laid out as such documents are
 * (agency and title centred, 文号 right-aligned, paragraphs indented two characters, the
 * closing on the right with the seal over its date), carries the issued text as an attached
 * `document.json`, and is PAdES-signed.
 */
import { createHash } from 'node:crypto';
import {
  AFRelationship,
  popGraphicsState,
  pushGraphicsState,
  setLineWidth,
  setStrokingRgbColor,
  setTextRenderingMode,
  TextRenderingMode,
} from '@cantoo/pdf-lib';
import { dateCn } from '../../../shared/time';
import type { Signer } from '../pki';
import { canonicalJson } from './canonical';
import { inkOperators } from './ink';
import { INK as HANDWRITING_INK } from './layout-types';
import { atomize, breakLines } from './linebreak';
import type { Handwriting } from './model';
import { signAndSave } from './pades';
import { pngSize } from './seal-image';
import { A4, INK, MM, newDoc, Writer } from './writer';
import {
  PLACEHOLDER,
  type DocumentBlock,
  type DocumentField,
  type DocumentTemplate,
} from './document-template';

export type { DocumentBlock, DocumentField, DocumentTemplate };
export { loadDocumentTemplates, parseDocumentTemplate } from './document-template';

/** What {@link renderIssuedDocument} prints. */
export interface IssuedDocumentPrint {
  template: DocumentTemplate;
  /** 机关名称: at the top and in the closing. */
  agency: string;
  /** 文号, e.g. 石人防罚决字〔2026〕12号; null for forms that have none. */
  docNo: string | null;
  /** One per template field (a missing optional one prints blank, or its default). */
  values: Record<string, string>;
  /** The date of the document (UTC ms), printed in {@link timeZone}. */
  issuedAt: number;
  /** IANA zone, e.g. Asia/Shanghai. */
  timeZone: string;
  /** The agency's seal (PNG), drawn over the closing; null to stamp it on paper. */
  seal: Buffer | null;
  /** Handwriting for the signature blocks, by their key. */
  signatures?: Record<string, Handwriting>;
  /** Signs the PDF (PAdES). */
  signer: Signer;
  /** Creation and signing time; now by default. */
  now?: Date;
}

/** The name of the attached JSON holding the issued text. */
export const DOCUMENT_ATTACHMENT = 'document.json';
/** The schema tag in {@link DOCUMENT_ATTACHMENT}, so later versions can read old files. */
export const DOCUMENT_SCHEMA = 'attest.issued-document/1';

/**
 * The value printed for every field: the default where the value is blank; line breaks
 * folded into spaces for a one-line field. Throws, naming the field in Chinese, where a
 * required one is blank, and on a value for a field the template does not have.
 */
function resolveValues(
  t: DocumentTemplate,
  values: Record<string, string>,
): Record<string, string> {
  const fields = new Map(t.fields.map((f) => [f.key, f]));
  for (const key of Object.keys(values)) {
    if (!fields.has(key)) throw new Error(`${t.title}没有字段“${key}”`);
  }
  const out: Record<string, string> = {};
  for (const f of t.fields) {
    let v = (values[f.key] ?? '').replace(/\r\n?/g, '\n').trim();
    if (!v) v = f.default ?? '';
    if (!f.multiline) v = v.replace(/\s*\n\s*/g, ' ');
    if (f.required && !v) throw new Error(`${t.title}缺少必填项“${f.label}”（${f.key}）`);
    out[f.key] = v;
  }
  return out;
}

const BODY = 12;
const LEAD = BODY * 1.8;
const CELL_LEAD = BODY * 1.5;
const PAD = 2 * MM;
/** The binding edge on the left is wider, as filed documents are bound there. */
const LEFT = 28 * MM;
const RIGHT = A4[0] - 22 * MM;
const LABEL_COLUMN = 36 * MM;
const SIGNATURE_HEIGHT = 24 * MM;
const SEAL_WIDTH = 42 * MM;
/** Pen width of handwriting in a signature box, in points (strokes scale down into it). */
const HANDWRITING_WIDTH = 1.1;

class DocumentWriter {
  /** Whether the last thing drawn was a grid row, so the next one shares its border. */
  private inGrid = false;

  constructor(
    readonly w: Writer,
    private readonly timeZone: string,
    private readonly signatures: Record<string, Handwriting>,
  ) {}

  private get bottom(): number {
    return this.w.margin + 12;
  }

  /** Lines of `text` with the 禁则 of {@link breakLines}; the first line may be narrower. */
  lines(text: string, size: number, first: number, rest = first): string[] {
    const measure = (s: string): number => this.w.metrics.width(s, size);
    return breakLines(atomize(this.w.clean(text), 0, measure), first, rest, size, measure).map(
      (l) => l.atoms.map((a) => a.text).join(''),
    );
  }

  draw(text: string, x: number, y: number, size = BODY, bold = false): void {
    const page = this.w.page;
    if (bold) {
      // Emboldened Regular: fill and stroke the outlines (the font has no Bold face).
      page.pushOperators(
        pushGraphicsState(),
        setTextRenderingMode(TextRenderingMode.FillAndOutline),
        setLineWidth(size * 0.035),
        setStrokingRgbColor(INK.red, INK.green, INK.blue),
      );
    }
    page.drawText(text, { x, y, size, font: this.w.font, color: INK });
    if (bold) page.pushOperators(popGraphicsState());
  }

  /** Leave the grid: the next block starts a little below its border. */
  private flow(): void {
    if (this.inGrid) this.w.y -= BODY * 0.6;
    this.inGrid = false;
  }

  centred(text: string, size: number, bold: boolean, lead: number): void {
    for (const line of this.lines(text, size, RIGHT - LEFT)) {
      this.w.ensure(lead);
      this.w.y -= lead;
      const x = (A4[0] - this.w.metrics.width(line, size)) / 2;
      this.draw(line, Math.max(LEFT, x), this.w.y, size, bold);
    }
  }

  header(agency: string, title: string, docNo: string | null): void {
    this.w.newPage();
    this.centred(agency, 18, false, 28);
    this.centred(title, 22, true, 36);
    if (docNo) {
      const text = this.w.clean(docNo);
      this.w.y -= LEAD;
      this.draw(text, RIGHT - this.w.metrics.width(text, BODY), this.w.y);
    }
    this.w.y -= BODY * 0.8;
  }

  paragraph(text: string, indent: boolean, bold = false): void {
    this.flow();
    const width = RIGHT - LEFT;
    const first = indent ? 2 * BODY : 0;
    for (const para of text.split('\n')) {
      this.lines(para, BODY, width - first, width).forEach((line, i) => {
        this.w.ensure(LEAD);
        this.w.y -= LEAD;
        this.draw(line, LEFT + (i === 0 ? first : 0), this.w.y, BODY, bold);
      });
    }
  }

  row(label: string, value: string): void {
    this.flow();
    const head = this.w.clean(`${label}：`);
    const lw = Math.min(this.w.metrics.width(head, BODY), (RIGHT - LEFT) / 2);
    this.lines(value, BODY, RIGHT - LEFT - lw).forEach((line, i) => {
      this.w.ensure(LEAD);
      this.w.y -= LEAD;
      if (i === 0) this.draw(head, LEFT, this.w.y);
      this.draw(line, LEFT + lw, this.w.y);
    });
  }

  /** One bordered cell pair of `height`, its top at the current y, which moves below it. */
  private cells(height: number): { top: number; split: number } {
    const top = this.w.y;
    const page = this.w.page;
    const line = { thickness: 0.8, color: INK };
    page.drawRectangle({
      x: LEFT,
      y: top - height,
      width: RIGHT - LEFT,
      height,
      borderWidth: 0.8,
      borderColor: INK,
    });
    const split = LEFT + LABEL_COLUMN;
    page.drawLine({ start: { x: split, y: top }, end: { x: split, y: top - height }, ...line });
    this.w.y = top - height;
    return { top, split };
  }

  /** Lines set in a cell, the block centred vertically; `centre` centres each line too. */
  private fill(lines: string[], x: number, width: number, top: number, h: number, centre: boolean) {
    const start = top - (h - lines.length * CELL_LEAD) / 2;
    lines.forEach((l, k) => {
      // Noto CJK's em box is centred 0.38 em above the baseline.
      const y = start - (k + 0.5) * CELL_LEAD - 0.38 * BODY;
      const dx = centre ? (width - this.w.metrics.width(l, BODY)) / 2 : 0;
      this.draw(l, x + dx, y);
    });
  }

  /** Enter the grid: a gap before the first row; rows that follow share borders. */
  private grid(height: number): void {
    if (!this.inGrid) this.w.y -= BODY * 0.6;
    this.inGrid = true;
    if (this.w.y - height < this.bottom) this.w.newPage();
  }

  tableRow(label: string, value: string): void {
    const labels = this.lines(label, BODY, LABEL_COLUMN - 2 * PAD);
    let values = this.lines(value, BODY, RIGHT - LEFT - LABEL_COLUMN - 2 * PAD);
    let first = true;
    const fresh = A4[1] - 2 * this.w.margin - 14;
    while (values.length) {
      const rowsOf = (n: number) => Math.max(10 * MM, n * CELL_LEAD + 2 * PAD);
      let n = Math.max(values.length, first ? labels.length : 0);
      // A value longer than a page continues in a row of its own on the next.
      if (rowsOf(n) > fresh) n = Math.floor((fresh - 2 * PAD) / CELL_LEAD);
      const height = rowsOf(n);
      this.grid(height);
      const { top, split } = this.cells(height);
      if (first) this.fill(labels, LEFT + PAD, LABEL_COLUMN - 2 * PAD, top, height, true);
      this.fill(values.slice(0, n), split + PAD, 0, top, height, false);
      values = values.slice(n);
      first = false;
    }
  }

  signature(key: string, label: string): void {
    this.grid(SIGNATURE_HEIGHT);
    const { top, split } = this.cells(SIGNATURE_HEIGHT);
    const labels = this.lines(label, BODY, LABEL_COLUMN - 2 * PAD);
    this.fill(labels, LEFT + PAD, LABEL_COLUMN - 2 * PAD, top, SIGNATURE_HEIGHT, true);
    const h = this.signatures[key];
    let date = '年　　月　　日';
    if (h) {
      const at = Date.parse(h.signedAt);
      if (Number.isNaN(at)) throw new Error(`signature "${key}": signedAt is not a date`);
      date = dateCn(at, this.timeZone);
      const box = {
        x: split + PAD,
        y: top - SIGNATURE_HEIGHT + PAD + CELL_LEAD,
        w: RIGHT - split - 2 * PAD - 40 * MM,
        h: SIGNATURE_HEIGHT - 2 * PAD - CELL_LEAD,
      };
      this.w.page.pushOperators(
        ...inkOperators(h, box, {
          fit: 'contain',
          width: HANDWRITING_WIDTH,
          color: HANDWRITING_INK,
        }),
      );
    }
    const text = this.w.clean(date);
    const y = top - SIGNATURE_HEIGHT + PAD + 2;
    this.draw(text, RIGHT - PAD - this.w.metrics.width(text, BODY), y);
  }

  /**
   * 落款: the agency and the date on the right, four characters in from the edge, the seal
   * centred on them a little above, so that it covers the date (骑年盖月). A closing never
   * stands alone on a page without a word about it: `（此页无正文）`.
   */
  async closing(agency: string, date: string, seal: Buffer | null): Promise<void> {
    this.flow();
    // The words sit 2.5 lines down; the seal reaches half its width below them.
    const need = 3.5 * LEAD + SEAL_WIDTH / 2;
    if (this.w.y - need < this.bottom) {
      this.w.newPage();
      this.w.y -= LEAD;
      this.draw(this.w.clean('（此页无正文）'), LEFT, this.w.y);
    }
    const name = this.w.clean(agency);
    const day = this.w.clean(date);
    const widest = Math.max(this.w.metrics.width(name, BODY), this.w.metrics.width(day, BODY));
    const cx = Math.max(LEFT + widest / 2, RIGHT - 4 * BODY - widest / 2);
    const nameY = this.w.y - 2.5 * LEAD;
    const dateY = nameY - LEAD;
    if (seal) {
      const size = pngSize(seal);
      const image = await this.w.pdf.embedPng(seal);
      const height = (SEAL_WIDTH * size.height) / size.width;
      const cy = nameY + 0.38 * BODY + 0.2 * LEAD;
      // Drawn before the words, as seal ink lets black print show through.
      this.w.page.drawImage(image, {
        x: cx - SEAL_WIDTH / 2,
        y: cy - height / 2,
        width: SEAL_WIDTH,
        height,
      });
    }
    this.draw(name, cx - this.w.metrics.width(name, BODY) / 2, nameY);
    this.draw(day, cx - this.w.metrics.width(day, BODY) / 2, dateY);
    this.w.y = dateY - LEAD;
  }
}

/**
 * Prints an issued document: A4 in the bundled CJK font, the blocks of its template with
 * the values filled in, the closing with the seal, `第 i 页 共 n 页` at every foot,
 * `document.json` attached, and a PAdES signature (reason: the title; location: the agency).
 */
export async function renderIssuedDocument(
  p: IssuedDocumentPrint,
): Promise<{ pdf: Buffer; pageCount: number; sha256: string }> {
  const t = p.template;
  const values = resolveValues(t, p.values);
  const signatures = p.signatures ?? {};
  const signatureKeys = new Set(t.blocks.flatMap((b) => (b.type === 'signature' ? [b.key] : [])));
  for (const key of Object.keys(signatures)) {
    if (!signatureKeys.has(key)) throw new Error(`${t.title}没有签名栏“${key}”`);
  }
  if (p.seal) pngSize(p.seal);
  const fill = (s: string): string => s.replace(PLACEHOLDER, (_, k: string) => values[k] ?? '');
  const now = p.now ?? new Date();

  const { pdf, font, metrics } = await newDoc(
    undefined,
    p.docNo ? `${t.title} ${p.docNo}` : t.title,
  );
  pdf.setAuthor(p.agency);
  pdf.setSubject(t.title);
  pdf.setLanguage('zh-CN');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  const d = new DocumentWriter(new Writer(pdf, font, metrics), p.timeZone, signatures);
  d.header(p.agency, t.title, p.docNo);
  for (const b of t.blocks) {
    switch (b.type) {
      case 'paragraph':
        d.paragraph(fill(b.text), b.indent !== false);
        break;
      case 'heading':
        d.paragraph(fill(b.text), true, true);
        break;
      case 'row':
        d.row(fill(b.label), fill(b.text));
        break;
      case 'table':
        for (const [label, value] of b.rows) d.tableRow(fill(label), fill(value));
        break;
      case 'signature':
        d.signature(b.key, fill(b.label));
        break;
    }
  }
  if (t.closing) await d.closing(p.agency, dateCn(p.issuedAt, p.timeZone), p.seal);
  d.w.numberPages();

  // The issued text as data, so that machines read it back without reading the drawing.
  const issued = {
    schema: DOCUMENT_SCHEMA,
    kind: t.kind,
    title: t.title,
    agency: p.agency,
    docNo: p.docNo,
    issuedAt: new Date(p.issuedAt).toISOString(),
    timeZone: p.timeZone,
    values,
  };
  await pdf.attach(Buffer.from(canonicalJson(issued), 'utf8'), DOCUMENT_ATTACHMENT, {
    mimeType: 'application/json',
    description: '文书内容 Issued document (canonical JSON)',
    creationDate: now,
    modificationDate: now,
    afRelationship: AFRelationship.Source,
  });

  const pages = pdf.getPages();
  const bytes = await signAndSave(pdf, pages[pages.length - 1]!, p.signer, {
    signingTime: now,
    reason: t.title,
    location: p.agency,
  });
  return {
    pdf: bytes,
    pageCount: pages.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
