/**
 * The transcript PDF checked with the tools an archivist or a court expert would use:
 * qpdf, poppler (pdffonts, pdfsig, pdfdetach, pdftotext, pdftoppm) and openssl.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paginateTranscript, renderTranscriptPdf } from '../../../../electron/core/platform/pdf';
import type {
  Box,
  RenderedTranscript,
  TranscriptDocument,
  TranscriptLayout,
} from '../../../../electron/core/platform/pdf';
import { loadOrCreateIdentity } from '../../../../electron/core/platform/pki';
import type { WorkstationIdentity } from '../../../../electron/core/platform/pki';
import { makeTranscript, refuse, signedDocument } from './fixture';
import { DPI, inkIn, readPpm, type Picture } from '../../../helpers/pdfInk';

let work: string;
let identity: WorkstationIdentity;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'attest-pdf-'));
  identity = await loadOrCreateIdentity(join(work, 'identity'), {
    organization: '石家庄市市场监督管理局',
    hostname: 'room-3',
  });
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function renderPages(pdfPath: string, prefix: string): Picture[] {
  const r = run('pdftoppm', ['-r', String(DPI), pdfPath, join(work, prefix)]);
  expect(r.status, r.out).toBe(0);
  return readdirSync(work)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.ppm'))
    .sort()
    .map((f) => readPpm(join(work, f)));
}

const WHOLE_PAGE: Box = { x: 0, y: 0, w: 595.28, h: 841.89 };

/** Boxes of the slots of one kind on each page. */
function slotBoxes(layout: TranscriptLayout, type: string): Box[][] {
  return layout.pages.map((p) =>
    p.items.flatMap((i) => (i.kind === 'slot' && i.slot.type === type ? [i.box] : [])),
  );
}

describe('signed transcript PDF', () => {
  let doc: TranscriptDocument;
  let result: RenderedTranscript;
  let layout: TranscriptLayout;
  let pdfPath: string;

  beforeAll(async () => {
    doc = signedDocument({ rounds: 2 });
    layout = paginateTranscript(doc);
    result = await renderTranscriptPdf(doc, {
      signer: identity.signer,
      location: '第三询问室',
      now: new Date('2026-11-22T03:00:00Z'),
    });
    pdfPath = join(work, 'signed.pdf');
    writeFileSync(pdfPath, result.pdf);
  });

  it('has three or more pages and passes qpdf --check', () => {
    expect(result.pageCount).toBeGreaterThanOrEqual(3);
    expect(result.pageCount).toBe(layout.pageCount);
    const r = run('qpdf', ['--check', pdfPath]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/No syntax or stream encoding errors found/);
  });

  it('embeds the CJK font as a subset (pdffonts: XXXXXX+ name, emb yes, sub yes)', () => {
    const r = run('pdffonts', [pdfPath]);
    expect(r.status).toBe(0);
    const fonts = r.out.split('\n').slice(2).filter(Boolean);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatch(
      /^[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes\b/,
    );
  });

  it('carries a PAdES signature that pdfsig reports valid over the whole file', () => {
    const r = run('pdfsig', [pdfPath]);
    expect(r.out).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(r.out).toMatch(/Signature Validation: Signature is Valid\./);
    expect(r.out).toMatch(/Total document signed/);
    expect(r.out).toMatch(/Signer Certificate Common Name: Attest workstation room-3/);
    expect(r.out).toMatch(/Signing Hash Algorithm: SHA-256/);
  });

  it('is reported invalid by pdfsig once one signed byte changes', () => {
    const tampered = Buffer.from(result.pdf);
    // A letter in the uncompressed XMP: the file still parses, only the bytes differ.
    const at = tampered.indexOf('<pdf:Producer>Attest');
    expect(at).toBeGreaterThan(0);
    tampered[at + '<pdf:Producer>'.length] = 'B'.charCodeAt(0);
    const path = join(work, 'tampered.pdf');
    writeFileSync(path, tampered);
    const r = run('pdfsig', [path]);
    expect(r.out).toMatch(/Signature Validation: (Signature is Invalid|Digest Mismatch)/);
    expect(r.out).not.toMatch(/Signature is Valid/);
  });

  it('holds a CMS that openssl verifies against the workstation certificate', () => {
    const pdf = result.pdf;
    const br = /\/ByteRange \[ (\d+) (\d+) (\d+) (\d+) \]/.exec(pdf.toString('latin1'))!;
    const [a, b, c, d] = br.slice(1).map(Number) as [number, number, number, number];
    expect(a).toBe(0);
    expect(c + d).toBe(pdf.length);
    const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    const hex = pdf.toString('latin1', b + 1, c - 1).replace(/(00)+$/, '');
    const cms = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    writeFileSync(join(work, 'signed.bin'), signed);
    writeFileSync(join(work, 'sig.p7s'), cms);
    writeFileSync(join(work, 'ca.pem'), identity.certificatePem);
    const r = run('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(work, 'sig.p7s'),
      '-content',
      join(work, 'signed.bin'),
      '-CAfile',
      join(work, 'ca.pem'),
      '-out',
      '/dev/null',
    ]);
    expect(r.out).toMatch(/Verification successful/);
  });

  it('attaches the transcript and the strokes as JSON that parses back to the input', () => {
    const list = run('pdfdetach', ['-list', pdfPath]);
    expect(list.out).toMatch(/2 embedded files/);
    expect(list.out).toMatch(/transcript\.json/);
    expect(list.out).toMatch(/signatures\.json/);
    const out = join(work, 'detached');
    rmSync(out, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', out]);
    expect(run('pdfdetach', ['-saveall', '-o', out, pdfPath]).status).toBe(0);
    const transcriptJson = readFileSync(join(out, 'transcript.json'));
    expect(JSON.parse(transcriptJson.toString('utf8'))).toEqual(doc.transcript);
    expect(JSON.parse(readFileSync(join(out, 'signatures.json'), 'utf8'))).toEqual(doc.signatures);
    // The hash printed in the seam names exactly this attachment.
    const hash = createHash('sha256').update(transcriptJson).digest('hex');
    expect(hash).toBe(result.contentHash);
    const text = run('pdftotext', [pdfPath, '-']).out;
    expect(text).toContain(`骑缝 ${hash.slice(0, 16)}`);
  });

  it('has the PDF/A-3 identification, the AF relationships and a document /ID', () => {
    const raw = result.pdf.toString('latin1');
    expect(raw).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
    expect(raw).toMatch(/\/AFRelationship \/Source/);
    expect(raw).toMatch(/\/AFRelationship \/Data/);
    expect(raw).toMatch(/\/OutputIntents/);
    expect(raw).toMatch(/trailer\s*<<[^]*\/ID \[ <[0-9A-Fa-f]{32}> <[0-9A-Fa-f]{32}> \]/);
    // Info and XMP agree (PDF/A requires it).
    const info = run('pdfinfo', [pdfPath]).out;
    const xmp = run('pdfinfo', ['-meta', pdfPath]).out;
    const field = (name: string): string => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(info)![1]!;
    expect(xmp).toContain(`<rdf:li xml:lang="x-default">${field('Title')}</rdf:li>`);
    expect(xmp).toContain(`<pdf:Keywords>${field('Keywords')}</pdf:Keywords>`);
    expect(xmp).toContain(`<pdf:Producer>${field('Producer')}</pdf:Producer>`);
    expect(xmp).toContain(`<xmp:CreatorTool>${field('Creator')}</xmp:CreatorTool>`);
  });

  it('has the page footers and the words said (pdftotext)', () => {
    const text = run('pdftotext', ['-layout', pdfPath, '-']).out;
    const n = result.pageCount;
    for (let i = 1; i <= n; i++) expect(text).toContain(`第 ${i} 页 共 ${n} 页`);
    expect(text).toContain('鑫隆生鲜超市');
    expect(text).toContain('龚䶮'); // a rare character survives extraction (ToUnicode)
    expect(text).toContain('没有了。我愿意配合调查');
    expect(text).toContain('以上笔录我看过，和我说的相符');
    expect(text).toMatch(/询\s+问\s+笔\s+录/);
    expect(text).toContain('2026年11月22日09时30分15秒至');
  });

  it('lays a hearing out with its moderator and 听证员 in the header, each with a signature slot', () => {
    const base = makeTranscript({ kind: 'hearing', rounds: 1 });
    const hearing = {
      ...base,
      header: {
        ...base.header,
        moderator: { name: '刘主持', certificateNo: 'ZF-9' },
        panel: [
          { name: '陈听证', certificateNo: 'ZF-7' },
          { name: '周听证', certificateNo: 'ZF-8' },
        ],
      },
    };
    const layout = paginateTranscript({ transcript: hearing, signatures: { kind: 'signed' } });
    const items = layout.pages.flatMap((p) => p.items);
    const texts = items.flatMap((i) => (i.kind === 'text' ? [i.text] : [])).join('');
    expect(texts).toContain('听证员');
    expect(texts).toContain('陈听证');
    const slots = items.flatMap((i) =>
      i.kind === 'slot' && i.slot.type === 'officer' ? [[i.slot.role, i.slot.certificateNo]] : [],
    );
    expect(slots).toEqual(
      expect.arrayContaining([
        ['主持人', 'ZF-9'],
        ['听证员', 'ZF-7'],
        ['听证员', 'ZF-8'],
      ]),
    );
  });

  it('reads as signed: text struck by a correction is drawn but not in the text layer', () => {
    // In the page's layout and in the content's order (what a viewer's search and copy read);
    // pdftotext's default mode reflows by geometry and splits the line at the initials box.
    for (const args of [
      ['-layout', pdfPath, '-'],
      ['-raw', pdfPath, '-'],
    ]) {
      const text = run('pdftotext', args).out.replace(/\s+/g, '');
      expect(text).toContain('进价每公斤36元');
      expect(text).not.toContain('3836');
      expect(text).toContain('28箱半');
      expect(text).not.toContain('二十八箱');
    }
  });

  it('renders every page, with ink in each seam strip and each signature block', () => {
    const pages = renderPages(pdfPath, 'signed');
    expect(pages).toHaveLength(result.pageCount);
    const pageSlots = slotBoxes(layout, 'page');
    layout.pages.forEach((page, i) => {
      const img = pages[i]!;
      const seam = page.items.find((x) => x.kind === 'seam');
      if (seam?.kind !== 'seam') throw new Error(`page ${i + 1} has no seam`);
      const stripInk = inkIn(
        img,
        { ...seam.strip, x: seam.strip.x + 2, w: seam.strip.w - 3 },
        layout.height,
      );
      expect(stripInk, `seam ink on page ${i + 1}`).toBeGreaterThan(3);
      const sig = pageSlots[i]![0]!;
      expect(inkIn(img, sig, layout.height, 1), `signature ink on page ${i + 1}`).toBeGreaterThan(
        10,
      );
      // And a region that must stay empty (right margin above the strip) has none, so the
      // ink counts above mean something.
      const blank = {
        x: seam.strip.x,
        y: seam.strip.y + seam.strip.h + 20,
        w: seam.strip.w,
        h: 60,
      };
      expect(inkIn(img, blank, layout.height)).toBe(0);
    });
    // Initials at both corrections and the closing statement are drawn.
    const initials = slotBoxes(layout, 'initials');
    initials.forEach((boxes, i) => {
      for (const b of boxes) expect(inkIn(pages[i]!, b, layout.height, 1.5)).toBeGreaterThan(2);
    });
    const closing = slotBoxes(layout, 'closing');
    const last = closing.findIndex((b) => b.length > 0);
    expect(inkIn(pages[last]!, closing[last]![0]!, layout.height, 1)).toBeGreaterThan(10);
  });

  it('also verifies when signed with an RSA-3072 key', async () => {
    const rsa = await loadOrCreateIdentity(join(work, 'rsa'), { keyType: 'rsa-3072' });
    const small = signedDocument({ rounds: 1 });
    const r = await renderTranscriptPdf(small, { signer: rsa.signer });
    const path = join(work, 'rsa.pdf');
    writeFileSync(path, r.pdf);
    expect(run('pdfsig', [path]).out).toMatch(/Signature Validation: Signature is Valid\./);
  });
});

describe('refusal path', () => {
  it('has no party signatures, states the refusal and carries two officers’ signatures', async () => {
    const transcript = makeTranscript({ rounds: 2 });
    const doc: TranscriptDocument = { transcript, signatures: refuse(transcript) };
    const layout = paginateTranscript(doc);
    const result = await renderTranscriptPdf(doc, { signer: identity.signer });
    const pdfPath = join(work, 'refused.pdf');
    writeFileSync(pdfPath, result.pdf);

    expect(run('qpdf', ['--check', pdfPath]).status).toBe(0);
    expect(run('pdfsig', [pdfPath]).out).toMatch(/Signature Validation: Signature is Valid\./);

    const text = run('pdftotext', ['-layout', pdfPath, '-']).out;
    expect(text).toContain('被询问人拒绝在笔录上签名。拒签理由：当事人认为第3页记载的进货数量');
    expect(text).toContain('执法人员签名');
    expect(text.split(`拒绝签名（见第${result.pageCount}页说明）`)).toHaveLength(
      result.pageCount + 1,
    );
    expect(text).not.toContain('以上笔录我看过');

    const pages = renderPages(pdfPath, 'refused');
    expect(pages).toHaveLength(result.pageCount);
    for (const page of layout.pages) {
      expect(page.items.some((i) => i.kind === 'seam')).toBe(false);
      expect(page.items.some((i) => i.kind === 'slot' && i.slot.type === 'page')).toBe(false);
      // No handwriting at all except the officers' on the last page.
      if (page.number < layout.pageCount) {
        expect(inkIn(pages[page.number - 1]!, WHOLE_PAGE, layout.height)).toBe(0);
      }
    }
    const officers = slotBoxes(layout, 'officer');
    const lastIdx = officers.findIndex((b) => b.length > 0);
    const signedBoxes = officers[lastIdx]!.filter(
      (b) => inkIn(pages[lastIdx]!, b, layout.height, 1) > 10,
    );
    expect(signedBoxes.length).toBeGreaterThanOrEqual(2);

    const out = join(work, 'refused-detached');
    spawnSync('mkdir', ['-p', out]);
    run('pdfdetach', ['-saveall', '-o', out, pdfPath]);
    const sigs = JSON.parse(readFileSync(join(out, 'signatures.json'), 'utf8'));
    expect(sigs).toEqual(doc.signatures);
    expect(sigs.kind).toBe('refused');
    expect(sigs.officers).toHaveLength(2);
  });
});
