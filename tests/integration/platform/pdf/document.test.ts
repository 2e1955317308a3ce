/**
 * Issued documents (执法文书) printed from the shipped templates, checked with the tools a
 * reader of the file would use: pdfsig (the PAdES signature), pdfimages (the seal),
 * pdftotext (the words), pdfdetach (document.json) and pdftoppm (the handwriting).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultResourcesDir,
  FontMetrics,
  loadFontBytes,
} from '../../../../electron/core/platform/pdf';
import {
  DOCUMENT_ATTACHMENT,
  DOCUMENT_SCHEMA,
  loadDocumentTemplates,
  renderIssuedDocument,
} from '../../../../electron/core/platform/pdf/document';
import type {
  DocumentTemplate,
  IssuedDocumentPrint,
} from '../../../../electron/core/platform/pdf/document';
import { drawSealPng, pngSize } from '../../../../electron/core/platform/pdf/seal-image';
import { loadOrCreateIdentity } from '../../../../electron/core/platform/pki';
import type { WorkstationIdentity } from '../../../../electron/core/platform/pki';
import { dateCn } from '../../../../electron/shared/time';
import { DPI, inkIn, readPpm } from '../../../helpers/pdfInk';
import { fakeSignature } from './fixture';

const AGENCY = '石家庄市人民防空办公室';
/** 16:00:05 UTC on 6 December is already 7 December in Shanghai. */
const ISSUED_AT = Date.UTC(2026, 11, 6, 16, 0, 5);
const A4_HEIGHT = 841.89;

let work: string;
let identity: WorkstationIdentity;
let templates: Record<string, DocumentTemplate>;
const seal = drawSealPng();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'attest-doc-'));
  identity = await loadOrCreateIdentity(join(work, 'identity'), {
    organization: AGENCY,
    hostname: 'desk-1',
  });
  templates = loadDocumentTemplates(defaultResourcesDir());
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** pdftotext's words with every space and line break taken out (CJK has none of its own). */
const words = (path: string): string =>
  run('pdftotext', ['-layout', path, '-']).out.replace(/\s+/g, '');

/** Images (not their soft masks) as pdfimages lists them: page, width, height. */
function images(path: string): [number, number, number][] {
  const r = run('pdfimages', ['-list', path]);
  expect(r.status, r.out).toBe(0);
  return r.out
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c[2] === 'image')
    .map((c) => [Number(c[0]), Number(c[3]), Number(c[4])]);
}

/** Sample values for every shipped template, and one of them to find in the text. */
const SAMPLES: Record<string, { docNo: string | null; values: Record<string, string> }> = {
  'filing-approval': {
    docNo: null,
    values: {
      caseNo: '石人防立〔2026〕31号',
      cause: '未按规定修建防空地下室',
      partyName: '河北恒远置业有限公司',
      source: '群众举报',
      facts: '当事人在“恒远·花园”项目建设中，未按照批准的设计修建防空地下室。',
      proposal: '建议立案调查。',
    },
  },
  'inquiry-notice': {
    docNo: '石人防询通字〔2026〕7号',
    values: {
      partyName: '河北恒远置业有限公司',
      time: '2026年12月10日9时30分',
      place: '石家庄市人民防空办公室执法科（302室）',
      matters: '“恒远·花园”项目防空地下室的建设情况。',
      contact: '王磊 0311-86001234',
    },
  },
  'hearing-rights-notice': {
    docNo: '石人防听告字〔2026〕3号',
    values: {
      partyName: '河北恒远置业有限公司',
      facts: '你单位在“恒远·花园”项目中未按规定修建防空地下室。',
      basis: '《中华人民共和国人民防空法》第四十八条',
      proposedPenalty: '罚款人民币伍万元整。',
    },
  },
  'hearing-notice': {
    docNo: '石人防听通字〔2026〕2号',
    values: {
      partyName: '河北恒远置业有限公司',
      cause: '未按规定修建防空地下室',
      heldAt: '2026年12月20日14时30分',
      place: '石家庄市人民防空办公室第一会议室',
      moderator: '李明',
    },
  },
  'penalty-notice': {
    docNo: '石人防罚告字〔2026〕9号',
    values: {
      partyName: '河北恒远置业有限公司',
      facts: '你单位在“恒远·花园”项目中未按规定修建防空地下室。',
      evidence: '现场检查笔录、询问笔录、施工图纸',
      basis: '《中华人民共和国人民防空法》第四十八条',
      proposedPenalty: '罚款人民币伍万元整。',
    },
  },
  'penalty-decision': {
    docNo: '石人防罚决字〔2026〕12号',
    values: {
      partyName: '河北恒远置业有限公司',
      partyIdentity: '91130100MA0CXXXX1K',
      partyAddress: '石家庄市长安区中山东路100号',
      facts: '当事人在“恒远·花园”项目建设中，未按照批准的设计修建防空地下室。',
      evidence: '现场检查笔录、询问笔录、施工图纸',
      basis: '《中华人民共和国人民防空法》第四十八条',
      discretion: '当事人积极配合调查，依法可以从轻处罚。',
      penalty: '罚款人民币伍万元整。',
      paymentWay: '当事人应当自收到本决定书之日起十五日内，到指定银行缴纳罚款。',
    },
  },
  'service-receipt': {
    docNo: null,
    values: {
      documentTitle: '行政处罚决定书',
      docNo: '石人防罚决字〔2026〕12号',
      recipient: '河北恒远置业有限公司',
      place: '石家庄市长安区中山东路100号',
      servedAt: '2026年12月7日10时15分',
      server: '王磊、张伟',
    },
  },
};

function print(kind: string, over: Partial<IssuedDocumentPrint> = {}): IssuedDocumentPrint {
  const s = SAMPLES[kind]!;
  return {
    template: templates[kind]!,
    agency: AGENCY,
    docNo: s.docNo,
    values: s.values,
    issuedAt: ISSUED_AT,
    timeZone: 'Asia/Shanghai',
    seal,
    signer: identity.signer,
    ...over,
  };
}

async function renderTo(name: string, p: IssuedDocumentPrint) {
  const out = await renderIssuedDocument(p);
  const path = join(work, `${name}.pdf`);
  writeFileSync(path, out.pdf);
  return { ...out, path };
}

describe('the seal image', () => {
  it('is a 300×300 PNG by default, and pngSize refuses what is not a PNG', () => {
    expect(pngSize(seal)).toEqual({ width: 300, height: 300 });
    expect(pngSize(drawSealPng({ size: 120 }))).toEqual({ width: 120, height: 120 });
    expect(() => pngSize(Buffer.from('x'))).toThrow('not a PNG image');
    expect(() => pngSize(Buffer.from('GIF89a'.padEnd(40, '\0')))).toThrow('not a PNG image');
  });

  it('is red on a transparent background, edges anti-aliased', async () => {
    // pdf-lib decodes PNGs for embedding; its decoder reads back what the encoder wrote.
    const { PDFDocument } = await import('@cantoo/pdf-lib');
    const doc = await PDFDocument.create();
    const img = await doc.embedPng(seal);
    expect([img.width, img.height]).toEqual([300, 300]);
    const path = join(work, 'seal.pdf');
    const page = doc.addPage([300, 300]);
    page.drawImage(img, { x: 0, y: 0, width: 300, height: 300 });
    writeFileSync(path, await doc.save());
    expect(run('pdftoppm', ['-r', '72', path, join(work, 'seal')]).status).toBe(0);
    const pic = readPpm(
      join(
        work,
        readdirSync(work).find((f) => /^seal-.*\.ppm$/.test(f))!,
      ),
    );
    const at = (x: number, y: number) => [
      ...pic.px.subarray(3 * (y * 300 + x), 3 * (y * 300 + x) + 3),
    ];
    expect(at(150, 150)).toEqual([0xd0, 0x02, 0x1b]); // the star's centre
    expect(at(150, 7)).toEqual([0xd0, 0x02, 0x1b]); // on the ring
    expect(at(150, 80)).toEqual([255, 255, 255]); // between ring and star: the page shows
    expect(at(2, 2)).toEqual([255, 255, 255]); // a corner
    // Somewhere along the ring's outer edge a pixel is part red, part page.
    const edge = Array.from({ length: 20 }, (_, i) => at(150, i)).filter(
      ([r, g]) => r! > 0xd0 && g! > 0x02 && g! < 255,
    );
    expect(edge.length).toBeGreaterThan(0);
  });
});

describe('document templates', () => {
  it('ship the seven documents, each with its title and sample values', () => {
    expect(Object.keys(templates).sort()).toEqual(Object.keys(SAMPLES).sort());
    expect(templates['penalty-decision']!.title).toBe('行政处罚决定书');
    expect(templates['penalty-decision']!.docNoPrefix).toBe('罚决字');
    expect(templates['service-receipt']!.docNoPrefix).toBeNull();
  });

  it('use only characters the bundled font draws', () => {
    const metrics = FontMetrics.for(loadFontBytes());
    for (const t of Object.values(templates)) {
      expect(metrics.missing(JSON.stringify(t)), t.kind).toEqual([]);
    }
  });

  it('name the file and the block when a template names an undeclared field', () => {
    const dir = join(work, 'bad');
    mkdirSync(join(dir, 'templates', 'documents'), { recursive: true });
    const bad = structuredClone(templates['service-receipt']!);
    bad.blocks.splice(2, 0, { type: 'paragraph', text: '罚款{fine}元' });
    writeFileSync(join(dir, 'templates', 'documents', '送达回证.json'), JSON.stringify(bad));
    expect(() => loadDocumentTemplates(dir)).toThrow(
      '送达回证.json: block 3 names field {fine} that the template does not declare',
    );
  });

  it('name the file and what is wrong for other mistakes', () => {
    const cases: [unknown, RegExp][] = [
      [
        { ...templates['hearing-notice'], blocks: [{ type: 'para', text: 'x' }] },
        /block 1 has type "para"/,
      ],
      [{ ...templates['hearing-notice'], title: '' }, /"title" must be a non-empty string/],
      [
        { ...templates['hearing-notice'], fields: [{ key: 'a', label: '甲', mutliline: true }] },
        /field 1 has "mutliline"/,
      ],
    ];
    cases.forEach(([raw, message], i) => {
      const dir = join(work, `bad-${i}`);
      mkdirSync(join(dir, 'templates', 'documents'), { recursive: true });
      writeFileSync(join(dir, 'templates', 'documents', '听证通知书.json'), JSON.stringify(raw));
      expect(() => loadDocumentTemplates(dir)).toThrow(
        new RegExp(`^听证通知书\\.json: .*${message.source}`),
      );
    });
  });
});

describe('an issued document', () => {
  it.each(Object.keys(SAMPLES))(
    '%s: signed, sealed, dated in its zone, data attached',
    async (kind) => {
      const p = print(kind);
      const t = p.template;
      const out = await renderTo(kind, p);

      const sig = run('pdfsig', [out.path]).out;
      expect(sig).toMatch(/Signature Validation: Signature is Valid\./);
      expect(sig).toMatch(/Total document signed/);
      expect(sig).toMatch(/Signer full Distinguished Name: CN=Attest workstation desk-1,O=石家庄/);

      const text = words(out.path);
      expect(text).toContain(AGENCY);
      expect(text).toContain(t.title);
      if (p.docNo) expect(text).toContain(p.docNo);
      expect(text).toContain(p.values.partyName ?? p.values.recipient);
      expect(text).toContain(`第1页共${out.pageCount}页`);
      expect(text).not.toContain('?');

      if (t.closing) {
        expect(text).toContain('2026年12月7日');
        expect(text).not.toContain('2026年12月6日');
        expect(images(out.path)).toEqual([[out.pageCount, 300, 300]]);
      } else {
        expect(images(out.path)).toEqual([]);
      }

      const detach = run('pdfdetach', ['-save', '1', '-o', join(work, `${kind}.json`), out.path]);
      expect(detach.status, detach.out).toBe(0);
      expect(run('pdfdetach', ['-list', out.path]).out).toContain(DOCUMENT_ATTACHMENT);
      const data = JSON.parse(readFileSync(join(work, `${kind}.json`), 'utf8'));
      expect(data).toMatchObject({ schema: DOCUMENT_SCHEMA, kind, docNo: p.docNo, agency: AGENCY });
      expect(data.values).toMatchObject(p.values);
    },
  );

  it('prints a field’s default wording when its value is left out', async () => {
    const out = await renderTo('defaults', print('hearing-rights-notice'));
    expect(words(out.path)).toContain('应当在收到本告知书之日起五日内向本机关提出');
  });

  it('refuses a required field missing or blank, naming it in Chinese', async () => {
    const rest = { ...SAMPLES['penalty-decision']!.values };
    delete rest.partyName;
    await expect(renderIssuedDocument(print('penalty-decision', { values: rest }))).rejects.toThrow(
      '行政处罚决定书缺少必填项“当事人”（partyName）',
    );
    const blank = { ...SAMPLES['service-receipt']!.values, server: '  ' };
    await expect(renderIssuedDocument(print('service-receipt', { values: blank }))).rejects.toThrow(
      '“送达人”',
    );
  });

  it('draws the recipient’s handwriting in its box, and leaves it blank without', async () => {
    const hand = fakeSignature(7, 300_000);
    const signed = await renderTo(
      'receipt-signed',
      print('service-receipt', { signatures: { recipient: hand } }),
    );
    const blank = await renderTo('receipt-blank', print('service-receipt'));
    const blue = (path: string, prefix: string): number => {
      expect(run('pdftoppm', ['-r', String(DPI), path, join(work, prefix)]).status).toBe(0);
      return readdirSync(work)
        .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.ppm'))
        .map((f) =>
          inkIn(readPpm(join(work, f)), { x: 0, y: 0, w: 595.28, h: A4_HEIGHT }, A4_HEIGHT),
        )
        .reduce((a, b) => a + b, 0);
    };
    expect(blue(signed.path, 'signed')).toBeGreaterThan(100);
    expect(blue(blank.path, 'blank')).toBe(0);
    // The day it was signed is printed beside the handwriting (the blank form has 年 月 日).
    expect(words(signed.path)).toContain(dateCn(Date.parse(hand.signedAt), 'Asia/Shanghai'));
    await expect(
      renderIssuedDocument(print('service-receipt', { signatures: { party: hand } })),
    ).rejects.toThrow('送达回证没有签名栏“party”');
  });

  it('runs over pages, numbered, with the seal on the last and nothing lost at the breaks', async () => {
    const sentences = Array.from(
      { length: 120 },
      (_, i) => `第${i + 1}项事实：当事人未按规定修建防空地下室。`,
    );
    const values = { ...SAMPLES['penalty-decision']!.values, facts: sentences.join('') };
    const out = await renderTo('long', print('penalty-decision', { values }));
    expect(out.pageCount).toBeGreaterThan(2);
    expect(run('pdfinfo', [out.path]).out).toMatch(new RegExp(`Pages:\\s+${out.pageCount}\\b`));
    // The page footers are taken out, so a sentence that runs over a page reads whole.
    const text = words(out.path).replace(/第\d+页共\d+页/g, '');
    for (const s of sentences) expect(text).toContain(s);
    expect(words(out.path)).toContain(`第${out.pageCount}页共${out.pageCount}页`);
    expect(images(out.path)).toEqual([[out.pageCount, 300, 300]]);
    expect(run('pdfsig', [out.path]).out).toMatch(/Signature Validation: Signature is Valid\./);

    // A form's cell longer than a page continues on the next page.
    const form = { ...SAMPLES['filing-approval']!.values, facts: sentences.join('\n') };
    const long = await renderTo('long-form', print('filing-approval', { values: form }));
    expect(long.pageCount).toBeGreaterThan(2);
    const formText = words(long.path);
    expect(formText).toContain(sentences[0]);
    expect(formText).toContain(sentences[119]);
  });
});
