import { createHash } from 'node:crypto';
import {
  AFRelationship,
  degrees,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setLineWidth,
  setStrokingRgbColor,
  setTextRenderingMode,
  TextRenderingMode,
} from '@cantoo/pdf-lib';
import type { PDFFont, PDFPage } from '@cantoo/pdf-lib';
import * as fontkit from 'fontkit';
import type { Signer } from '../pki';
import { canonicalJson } from './canonical';
import { compactingFontkit } from './cff-compact';
import { defaultResourcesDir, FontMetrics, loadFontBytes } from './fonts';
import type { FontBytes } from './fonts';
import { inkOperators } from './ink';
import { INK, GRAY, layoutTranscript } from './layout';
import type { Box, DrawItem, LayoutMode, SlotRef, TranscriptLayout } from './layout';
import { applyMetadata } from './meta';
import type { Handwriting, TranscriptDocument } from './model';
import { signAndSave } from './pades';
import type { TranscriptTemplates } from './templates';
import { loadTemplates } from './templates';
import { formatDateCn } from './time';
import { PdfInputError, validateDocument } from './validate';

/** Options for {@link renderTranscriptPdf}. */
export interface RenderOptions {
  /**
   * Signs the finished PDF (PAdES). Pass `null` only for an unsigned preview; the record
   * itself is always signed.
   */
  signer: Signer | null;
  /** resources/ (fonts and templates); found automatically when omitted. */
  resourcesDir?: string;
  /** Font programs, instead of resources/fonts. */
  fonts?: FontBytes;
  /** Form templates, instead of resources/templates/transcripts.json. */
  templates?: TranscriptTemplates;
  /** Creation and signing time; now by default. */
  now?: Date;
  /** Producer string, e.g. `Attest 0.1.0`. */
  producer?: string;
  /** Where it was signed (the room), for the signature dictionary. */
  location?: string;
  /**
   * Leave every handwriting slot and the seam empty: the pages exactly as they will print,
   * before anyone signs (the signing tablet's preview). Only the kind of `signatures` (and
   * a refusal's reason, the closing text) is read; the handwriting is neither checked nor
   * drawn nor attached, and the file is not signed (`signer` must be null).
   */
  blank?: boolean;
}

/** The rendered record. */
export interface RenderedTranscript {
  pdf: Buffer;
  pageCount: number;
  /** SHA-256 (hex) of the canonical transcript JSON (its first 16 digits are in the seam). */
  contentHash: string;
  /** SHA-256 (hex) of the PDF file. */
  sha256: string;
  signed: boolean;
}

/** File names of the attachments. */
export const ATTACHMENTS = {
  transcript: 'transcript.json',
  signatures: 'signatures.json',
} as const;

/** Everything the layout needs, resolved from the options once. */
function resources(opts: {
  resourcesDir?: string;
  fonts?: FontBytes;
  templates?: TranscriptTemplates;
}): { fonts: FontBytes; metrics: FontMetrics; templates: TranscriptTemplates } {
  const dir = opts.fonts && opts.templates ? '' : (opts.resourcesDir ?? defaultResourcesDir());
  const fonts = opts.fonts ?? loadFontBytes(dir);
  return {
    fonts,
    metrics: FontMetrics.for(fonts),
    templates: opts.templates ?? loadTemplates(dir),
  };
}

/**
 * Lay out a transcript without rendering it: the page count and, per page, where text and
 * signatures go. The signing tablet uses this to show the pages before anyone signs.
 */
export function paginateTranscript(
  doc: Pick<TranscriptDocument, 'transcript'> & {
    signatures: LayoutMode;
  },
  opts: { resourcesDir?: string; fonts?: FontBytes; templates?: TranscriptTemplates } = {},
): TranscriptLayout {
  const r = resources(opts);
  return layoutTranscript(doc.transcript, doc.signatures, r);
}

/** Signer n's signatures (1-based, `header.signers[n - 1]`), if they signed. */
function otherSigned(doc: TranscriptDocument, signer: number) {
  const o = doc.signatures.others?.find((x) => x.signer === signer);
  return o?.kind === 'signed' ? o : undefined;
}

/** The words of the closing statement written in a slot (the party's or another signer's). */
function closingText(doc: TranscriptDocument, signer: number | undefined): string | undefined {
  const s = doc.signatures;
  if (signer) return otherSigned(doc, signer)?.closing.text;
  return s.kind === 'signed' ? s.closing.text : undefined;
}

function handwritingFor(doc: TranscriptDocument, slot: SlotRef): Handwriting | undefined {
  const s = doc.signatures;
  switch (slot.type) {
    case 'page':
      if (slot.signer)
        return otherSigned(doc, slot.signer)?.pages.find((p) => p.page === slot.page)?.signature;
      return s.kind === 'signed' ? s.pages.find((p) => p.page === slot.page)?.signature : undefined;
    case 'initials':
      return s.kind === 'signed' ? s.corrections[slot.correctionId] : undefined;
    case 'closing':
      if (slot.signer) return otherSigned(doc, slot.signer)?.closing.handwriting;
      return s.kind === 'signed' ? s.closing.handwriting : undefined;
    case 'officer': {
      // Match role and certificate first: the recorder may also be one of the officers.
      const exact = s.officers.find(
        (o) => o.role === slot.role && o.officer.certificateNo === slot.certificateNo,
      );
      return (exact ?? s.officers.find((o) => o.officer.certificateNo === slot.certificateNo))
        ?.signature;
    }
  }
}

interface Painter {
  page: PDFPage;
  /** A blank preview: slots and the seam stay empty. */
  blank: boolean;
  regular: PDFFont;
  /** The embedded Bold font, or null to embolden Regular. */
  bold: () => Promise<PDFFont | null>;
  metrics: FontMetrics;
  timeZone: string;
}

async function paint(p: Painter, item: DrawItem, doc: TranscriptDocument): Promise<void> {
  switch (item.kind) {
    case 'text': {
      if (item.notInText) {
        // An empty /ActualText replaces the run's glyphs in whatever text a reader extracts.
        p.page.pushOperators(
          PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
            PDFName.of('Span'),
            // An inline property list: the operator takes any PDF object, as the PDF spec allows.
            p.page.doc.context.obj({
              ActualText: PDFHexString.fromText(''),
            }) as unknown as PDFName,
          ]),
        );
        await paint(p, { ...item, notInText: undefined }, doc);
        p.page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
        return;
      }
      const options = {
        x: item.x,
        y: item.y,
        size: item.size,
        color: rgb(...item.color),
        ...(item.rotate ? { rotate: degrees(item.rotate) } : {}),
      };
      if (item.font === 'regular') {
        // No `font` option: the page's current font is Regular, and naming a font on every
        // call would add a new resource name to the page each time.
        p.page.drawText(item.text, options);
        return;
      }
      const bold = await p.bold();
      if (bold) {
        p.page.drawText(item.text, { ...options, font: bold });
        p.page.setFont(p.regular);
        return;
      }
      // Emboldened Regular: fill and stroke the glyph outlines (text rendering mode 2).
      p.page.pushOperators(
        pushGraphicsState(),
        setTextRenderingMode(TextRenderingMode.FillAndOutline),
        setLineWidth(item.size * 0.035),
        setStrokingRgbColor(...item.color),
      );
      p.page.drawText(item.text, options);
      p.page.pushOperators(popGraphicsState());
      return;
    }
    case 'rule': {
      p.page.drawLine({
        start: { x: item.x1, y: item.y1 },
        end: { x: item.x2, y: item.y2 },
        thickness: item.width,
        color: rgb(...item.color),
        ...(item.dash ? { dashArray: item.dash } : {}),
      });
      return;
    }
    case 'seam': {
      const seam = p.blank
        ? undefined
        : item.signer
          ? otherSigned(doc, item.signer)?.seam
          : doc.signatures.kind === 'signed'
            ? doc.signatures.seam
            : undefined;
      if (!seam) return;
      p.page.pushOperators(
        ...inkOperators(seam, item.band, {
          fit: 'fill',
          width: 2.2,
          color: INK,
          clipTo: item.strip,
        }),
      );
      return;
    }
    case 'slot': {
      const refused = refusalIn(doc, item.slot);
      if (refused !== undefined) {
        drawRefusal(p, item, refused);
        return;
      }
      const h = p.blank ? undefined : handwritingFor(doc, item.slot);
      if (!h) {
        if (item.slot.type === 'initials' && doc.signatures.kind === 'refused') {
          // The party refused, so the correction stands unconfirmed; say so in place.
          drawSmall(p, '未确认', item.box, 7);
        }
        return;
      }
      const width = item.slot.type === 'initials' ? 0.9 : Math.min(1.6, item.box.h / 22);
      p.page.pushOperators(...inkOperators(h, item.box, { fit: 'contain', width, color: INK }));
      if (item.dateAt) {
        p.page.drawText(formatDateCn(h.signedAt, p.timeZone), {
          x: item.dateAt.x,
          y: item.dateAt.y,
          size: item.dateAt.size,
          font: p.regular,
          color: rgb(0, 0, 0),
        });
      }
      const words = item.slot.type === 'closing' ? closingText(doc, item.slot.signer) : undefined;
      if (item.captionAt && words !== undefined) {
        const c = item.captionAt;
        const caption = `（手写：${words}）`;
        const w = p.metrics.width(caption, c.size);
        p.page.drawText(caption, {
          x: c.x,
          y: c.y,
          // Shrink rather than wrap, so the layout does not depend on what was written.
          size: w > c.maxWidth ? (c.size * c.maxWidth) / w : c.size,
          font: p.regular,
          color: rgb(...GRAY),
        });
      }
      return;
    }
  }
}

/** The reason another signer refused, when the slot is theirs and they refused. */
function refusalIn(doc: TranscriptDocument, slot: SlotRef): string | undefined {
  if ((slot.type !== 'page' && slot.type !== 'closing') || !slot.signer) return undefined;
  const o = doc.signatures.others?.find((x) => x.signer === slot.signer);
  return o?.kind === 'refused' ? o.reason : undefined;
}

/**
 * Another signer's refusal in their place: 拒绝签名 on each page's line; in the closing
 * statement's box the refusal with its reason, wrapped and made smaller until it fits.
 */
function drawRefusal(p: Painter, item: Extract<DrawItem, { kind: 'slot' }>, reason: string): void {
  const box = item.box;
  if (item.slot.type === 'page') {
    p.page.drawText('拒绝签名', {
      x: box.x + 4,
      y: box.y + 10,
      size: 10.5,
      font: p.regular,
      color: rgb(...GRAY),
    });
    return;
  }
  const words = `拒绝在笔录上签名。拒签理由：${reason}`;
  const width = p.metrics.width(words, 1);
  // A size at which the words, wrapped to the box, fill at most its height (1.25 line pitch).
  let size = Math.min(10.5, Math.sqrt((box.h * (box.w - 4)) / (1.25 * width)));
  let lines: string[] = [];
  for (; size > 3; size *= 0.92) {
    lines = [];
    let line = '';
    for (const ch of words) {
      if (p.metrics.width(line + ch, size) > box.w - 4) {
        lines.push(line);
        line = ch;
      } else line += ch;
    }
    if (line) lines.push(line);
    if (lines.length * size * 1.25 <= box.h) break;
  }
  lines.forEach((l, i) =>
    p.page.drawText(l, {
      x: box.x + 2,
      y: box.y + box.h - size * 1.1 - i * size * 1.25,
      size,
      font: p.regular,
      color: rgb(0, 0, 0),
    }),
  );
}

function drawSmall(p: Painter, s: string, box: Box, size: number): void {
  p.page.drawText(s, {
    x: box.x + (box.w - p.metrics.width(s, size)) / 2,
    y: box.y + (box.h - size) / 2 + 1,
    size,
    font: p.regular,
    color: rgb(...GRAY),
  });
}

/**
 * The BaseFont name of an embedded subset: a six-letter tag, '+', the font's name
 * (ISO 32000-1 §9.6.4), so viewers and pdffonts know it is a subset. The tag is derived
 * from what the subset holds (the text), so the same document always gets the same name.
 */
function subsetName(contentHash: string, fontName: string, variant: string): string {
  const digest = createHash('sha256').update(`${contentHash}\n${fontName}\n${variant}`).digest();
  const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  return `${tag}+${fontName}`;
}

const TITLES = {
  inquiry: '询问笔录',
  hearing: '听证笔录',
  interview: '约谈笔录',
  inspection: '现场检查（勘验）笔录',
} as const;

/**
 * Render a transcript to a signed PDF: A4 pages laid out by {@link layoutTranscript}, the
 * CJK font subset into it, handwriting as vector paths, `transcript.json` and
 * `signatures.json` attached (AFRelationship Source and Data), PDF/A-3-style metadata and a
 * PAdES signature over the whole file.
 */
export async function renderTranscriptPdf(
  doc: TranscriptDocument,
  opts: RenderOptions,
): Promise<RenderedTranscript> {
  const { fonts, metrics, templates } = resources(opts);
  const blank = opts.blank === true;
  if (blank && opts.signer) throw new Error('a blank preview is never signed');
  validateDocument(doc, metrics, { handwriting: !blank });
  const layout = layoutTranscript(doc.transcript, doc.signatures, {
    metrics,
    templates,
  });
  const s = doc.signatures;
  const form = templates.kinds[doc.transcript.kind];
  const pagesPerOther = form.othersSignPages === false ? 0 : 1;
  for (const o of blank ? [] : (s.others ?? [])) {
    if (o.kind === 'signed' && o.pages.length !== layout.pageCount * pagesPerOther) {
      throw new PdfInputError('PAGE_COUNT_MISMATCH', [
        `signer ${o.signer} signed ${o.pages.length} pages of ${layout.pageCount}`,
      ]);
    }
    if (o.kind === 'signed' && form.othersSignSeam && layout.pageCount > 1 && !o.seam) {
      throw new PdfInputError('INVALID_TRANSCRIPT', [
        `signer ${o.signer} has not signed across the seam`,
      ]);
    }
  }
  if (s.kind === 'signed' && !blank) {
    if (s.pages.length !== layout.pageCount) {
      throw new PdfInputError('PAGE_COUNT_MISMATCH', [
        `the party signed ${s.pages.length} pages but the transcript has ${layout.pageCount}; lay it out with paginateTranscript() and sign again`,
      ]);
    }
    if (layout.pageCount > 1 && !s.seam) {
      throw new PdfInputError('INVALID_TRANSCRIPT', [
        'a document of several pages needs the seam signature',
      ]);
    }
  }
  const now = opts.now ?? new Date();
  const t = doc.transcript;

  const pdf = await PDFDocument.create({ updateMetadata: false });
  // fontkit matches pdf-lib's structural Fontkit type; our declaration is narrower.
  pdf.registerFontkit(
    compactingFontkit(fontkit) as unknown as Parameters<PDFDocument['registerFontkit']>[0],
  );
  const regular = await pdf.embedFont(fonts.regular, {
    subset: true,
    customName: subsetName(layout.contentHash, 'NotoSansCJKsc-Regular', s.kind),
  });
  let boldFont: PDFFont | null | undefined;
  const bold = async (): Promise<PDFFont | null> => {
    if (boldFont === undefined) {
      boldFont = fonts.bold
        ? await pdf.embedFont(fonts.bold, {
            subset: true,
            customName: subsetName(layout.contentHash, 'Bold', s.kind),
          })
        : null;
    }
    return boldFont;
  };

  const pages: PDFPage[] = [];
  for (const pl of layout.pages) {
    const page = pdf.addPage([layout.width, layout.height]);
    page.setFont(regular);
    pages.push(page);
    const painter: Painter = {
      page,
      blank,
      regular,
      bold,
      metrics,
      timeZone: t.header.recording.timeZone,
    };
    for (const item of pl.items) await paint(painter, item, doc);
  }

  // The data behind the drawing, for anyone who needs more than the picture.
  await pdf.attach(Buffer.from(canonicalJson(t), 'utf8'), ATTACHMENTS.transcript, {
    mimeType: 'application/json',
    description:
      '笔录原文 Transcript (canonical JSON; its SHA-256 begins with the hash printed in the seam)',
    creationDate: now,
    modificationDate: now,
    afRelationship: AFRelationship.Source,
  });
  if (!blank) {
    await pdf.attach(Buffer.from(canonicalJson(s), 'utf8'), ATTACHMENTS.signatures, {
      mimeType: 'application/json',
      description:
        '签名笔迹数据 Handwriting strokes (x, y, time, pressure, pointer) of every signature',
      creationDate: now,
      modificationDate: now,
      afRelationship: AFRelationship.Data,
    });
  }

  const documentId = createHash('sha256')
    .update(`${t.id}\n${layout.contentHash}`)
    .digest('hex')
    .slice(0, 32);
  const instanceId = createHash('sha256')
    .update(`${documentId}\n${canonicalJson(s)}\n${now.toISOString()}`)
    .digest('hex')
    .slice(0, 32);
  const title = templates.kinds[t.kind]?.title ?? TITLES[t.kind];
  applyMetadata(pdf, {
    title: `${title} ${t.header.caseNumber}`,
    author: t.header.agency ?? t.header.officers.map((o) => o.name).join('、'),
    subject: `${t.header.cause}（${t.header.party.name}）`,
    keywords: [t.header.caseNumber, title, `sha256:${layout.contentHash}`],
    creator: 'Attest',
    producer: opts.producer ?? 'Attest (@cantoo/pdf-lib)',
    created: now,
    documentId,
    instanceId,
    lang: 'zh-CN',
  });

  let bytes: Buffer;
  if (opts.signer) {
    bytes = await signAndSave(pdf, pages[pages.length - 1]!, opts.signer, {
      signingTime: now,
      name: 'Attest workstation',
      reason: `${title}签署完成 ${s.kind === 'signed' ? '当事人已签名' : '当事人拒绝签名'}`,
      ...(opts.location ? { location: opts.location } : {}),
    });
  } else {
    bytes = Buffer.from(await pdf.save({ useObjectStreams: false, updateFieldAppearances: false }));
  }
  return {
    pdf: bytes,
    pageCount: layout.pageCount,
    contentHash: layout.contentHash,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    signed: Boolean(opts.signer),
  };
}
