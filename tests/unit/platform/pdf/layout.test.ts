import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  paginateTranscript,
  PdfInputError,
  renderTranscriptPdf,
  seamGeometry,
} from '../../../../electron/core/platform/pdf';
import type { DrawItem, TranscriptDocument } from '../../../../electron/core/platform/pdf';
import { srgbIccProfile, xmpPacket } from '../../../../electron/core/platform/pdf/meta';
import { formatElapsed, formatSpanCn } from '../../../../electron/core/platform/pdf/time';
import {
  makeTranscript,
  refuse,
  signAll,
  signedDocument,
} from '../../../integration/platform/pdf/fixture';

const slots = (items: DrawItem[]) => items.filter((i) => i.kind === 'slot');

describe('layout', () => {
  const t = makeTranscript({ rounds: 2 });
  const layout = paginateTranscript({ transcript: t, signatures: { kind: 'signed' } });

  it('is deterministic and needs no handwriting, so the tablet can lay out before signing', () => {
    const again = paginateTranscript({ transcript: t, signatures: signAll(t) });
    expect(again).toEqual(layout);
    expect(layout.pageCount).toBeGreaterThanOrEqual(3);
  });

  it('gives every page a party signature slot, a footer and a seam strip', () => {
    for (const page of layout.pages) {
      expect(slots(page.items).filter((s) => s.slot.type === 'page')).toHaveLength(1);
      const texts = page.items.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
      expect(texts).toContain(
        `第\u2002${page.number}\u2002页\u2002共\u2002${layout.pageCount}\u2002页`,
      );
      expect(texts.some((s) => s.startsWith(`骑缝 ${layout.contentHash.slice(0, 16)}`))).toBe(true);
      expect(page.items.filter((i) => i.kind === 'seam')).toHaveLength(1);
    }
  });

  it('cuts the seam band into strips that tile it exactly, one per page, left to right', () => {
    const n = layout.pageCount;
    const { strip } = seamGeometry(n);
    const seams = layout.pages.map((p) => p.items.find((i) => i.kind === 'seam')!);
    seams.forEach((s, i) => {
      if (s.kind !== 'seam') throw new Error('not a seam');
      // The strip sits at the page's right edge …
      expect(s.strip.x + s.strip.w).toBeCloseTo(layout.width, 5);
      expect(s.strip.w).toBeCloseTo(strip, 5);
      // … and shows slice i of the band: band-relative offset i × strip.
      expect(s.strip.x - s.band.x).toBeCloseTo(i * strip, 5);
      expect(s.band.w).toBeCloseTo(n * strip, 5);
    });
  });

  it('places the initials of each correction on the page where the correction is', () => {
    const where = new Map<string, number>();
    for (const page of layout.pages) {
      for (const s of slots(page.items)) {
        if (s.slot.type === 'initials') where.set(s.slot.correctionId, page.number);
      }
    }
    expect([...where.keys()].sort()).toEqual(['c1', 'c2']);
    expect(where.get('c1')).not.toBe(where.get('c2'));
  });

  it('puts the closing statement and every officer on the last page', () => {
    const last = layout.pages[layout.pages.length - 1]!;
    const types = slots(last.items).map((s) => s.slot.type);
    expect(types).toContain('closing');
    expect(types.filter((x) => x === 'officer')).toHaveLength(3); // two officers + recorder
  });

  it('in the refusal layout has no party slots and no seam signature, but still the hash', () => {
    const r = refuse(t);
    const l = paginateTranscript({ transcript: t, signatures: r });
    for (const page of l.pages) {
      const types = slots(page.items).map((s) => s.slot.type);
      expect(types.every((x) => x === 'officer' || x === 'initials')).toBe(true);
      expect(page.items.some((i) => i.kind === 'seam')).toBe(false);
    }
    const officers = l.pages
      .flatMap((p) => slots(p.items))
      .filter((s) => s.slot.type === 'officer');
    expect(officers).toHaveLength(3); // 张, 李, 王: each officer present once
  });

  it('prints the contentHash of the canonical transcript', () => {
    const hash = createHash('sha256').update(canonicalJson(t)).digest('hex');
    expect(layout.contentHash).toBe(hash);
  });
});

describe('validation', () => {
  const render = (doc: TranscriptDocument) => renderTranscriptPdf(doc, { signer: null });
  const problems = async (doc: TranscriptDocument): Promise<string[]> => {
    const err = await render(doc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PdfInputError);
    return (err as PdfInputError).problems;
  };

  it('refuses a correction whose range does not hold its new text', async () => {
    const doc = signedDocument({ rounds: 1 });
    doc.transcript.corrections[0]!.newText = '99';
    expect((await problems(doc)).join()).toMatch(/c1: the turn's text .* is not newText/);
  });

  it('refuses a signed document without initials at a correction, or with one officer', async () => {
    const doc = signedDocument({ rounds: 1 });
    if (doc.signatures.kind !== 'signed') throw new Error();
    delete doc.signatures.corrections.c2;
    doc.signatures.officers = doc.signatures.officers.slice(0, 1);
    const p = (await problems(doc)).join('\n');
    expect(p).toMatch(/initials at correction c2: missing/);
    expect(p).toMatch(/two or more officers must sign/);
  });

  it('refuses page signatures that do not match the pages laid out', async () => {
    const doc = signedDocument({ rounds: 1 });
    if (doc.signatures.kind !== 'signed') throw new Error();
    doc.signatures.pages.pop();
    const err = await render(doc).catch((e: unknown) => e);
    expect((err as PdfInputError).code).toBe('PAGE_COUNT_MISMATCH');
  });

  it('names characters the font cannot draw instead of printing blanks', async () => {
    const doc = signedDocument({ rounds: 1 });
    doc.transcript.turns[1]!.text += '😀';
    const err = (await render(doc).catch((e: unknown) => e)) as PdfInputError;
    expect(err.code).toBe('MISSING_GLYPHS');
    expect(err.problems.join()).toContain('U+1F600');
  });

  it('needs a refusal reason', async () => {
    const t = makeTranscript({ rounds: 1 });
    const r = refuse(t);
    if (r.kind !== 'refused') throw new Error();
    r.reason = ' ';
    expect((await problems({ transcript: t, signatures: r })).join()).toMatch(/reason/);
  });
});

describe('formats and metadata', () => {
  it('prints recording times in the document time zone (R2.4)', () => {
    expect(formatSpanCn('2026-11-22T01:30:15Z', '2026-11-22T02:45:02Z', 'Asia/Shanghai')).toBe(
      '2026年11月22日09时30分15秒至10时45分02秒',
    );
    expect(formatSpanCn('2026-11-22T15:30:00Z', '2026-11-22T16:10:00Z', 'Asia/Shanghai')).toBe(
      '2026年11月22日23时30分00秒至2026年11月23日00时10分00秒',
    );
    expect(formatElapsed(3_723_999)).toBe('01:02:03');
  });

  it('canonical JSON sorts keys, drops undefined and is stable', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe(
      '{"a":[true,null,"x"],"b":1}',
    );
    expect(() => canonicalJson({ x: NaN })).toThrow();
  });

  it('writes a well-formed ICC v2 sRGB profile', () => {
    const icc = srgbIccProfile();
    expect(icc.readUInt32BE(0)).toBe(icc.length);
    expect(icc.toString('latin1', 36, 40)).toBe('acsp');
    expect(icc.toString('latin1', 12, 24)).toBe('mntrRGB XYZ ');
    const tags = icc.readUInt32BE(128);
    const sigs = Array.from({ length: tags }, (_, i) =>
      icc.toString('latin1', 132 + 12 * i, 136 + 12 * i),
    );
    expect(sigs.sort()).toEqual([
      'bTRC',
      'bXYZ',
      'cprt',
      'desc',
      'gTRC',
      'gXYZ',
      'rTRC',
      'rXYZ',
      'wtpt',
    ]);
    for (let i = 0; i < tags; i++) {
      const off = icc.readUInt32BE(136 + 12 * i);
      const len = icc.readUInt32BE(140 + 12 * i);
      expect(off % 4).toBe(0);
      expect(off + len).toBeLessThanOrEqual(icc.length);
    }
  });

  it('writes XMP with PDF/A-3 identification and escapes text', () => {
    const x = xmpPacket({
      title: '询问笔录 <A&B>',
      author: 'a',
      subject: 's',
      keywords: ['k'],
      creator: 'c',
      producer: 'p',
      created: new Date('2026-11-22T01:02:03.456Z'),
      documentId: '0123456789abcdef0123456789abcdef',
      instanceId: 'fedcba9876543210fedcba9876543210',
      lang: 'zh-CN',
    });
    expect(x).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(x).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(x).toContain('询问笔录 &#60;A&#38;B&#62;');
    expect(x).toContain('<xmp:CreateDate>2026-11-22T01:02:03Z</xmp:CreateDate>');
    expect(x).toContain('uuid:01234567-89ab-cdef-0123-456789abcdef');
  });
});
