/**
 * Document metadata in the PDF/A-3 manner: XMP with PDF/A identification, an sRGB
 * OutputIntent, a document /ID, and Info entries that agree with the XMP.
 *
 * No PDF/A validator (veraPDF) is available where this was written, so conformance is
 * claimed as intended, not verified: run veraPDF before relying on the claim.
 */
import { PDFArray, PDFHexString, PDFName, PDFString } from '@cantoo/pdf-lib';
import type { PDFDocument } from '@cantoo/pdf-lib';

/** What goes into Info and XMP. */
export interface DocumentMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  producer: string;
  created: Date;
  /** 32 hex digits: the first /ID element and the XMP DocumentID. */
  documentId: string;
  /** 32 hex digits: the second /ID element and the XMP InstanceID. */
  instanceId: string;
  lang: string;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** ISO 8601 with the offset, as XMP dates are written (whole seconds, UTC). */
function xmpDate(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

function uuidOf(hex: string): string {
  return `uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The XMP packet. Values mirror the Info dictionary exactly (PDF/A requires the two to
 * agree): pdf-lib joins keywords with single spaces, so the XMP does too.
 */
export function xmpPacket(m: DocumentMeta): string {
  const li = (s: string): string => `<rdf:li xml:lang="x-default">${xmlEscape(s)}</rdf:li>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt>${li(m.title)}</rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xmlEscape(m.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt>${li(m.subject)}</rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>${xmlEscape(m.lang)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>${xmpDate(m.created)}</xmp:CreateDate>
   <xmp:ModifyDate>${xmpDate(m.created)}</xmp:ModifyDate>
   <xmp:MetadataDate>${xmpDate(m.created)}</xmp:MetadataDate>
   <xmp:CreatorTool>${xmlEscape(m.creator)}</xmp:CreatorTool>
   <pdf:Producer>${xmlEscape(m.producer)}</pdf:Producer>
   <pdf:Keywords>${xmlEscape(m.keywords.join(' '))}</pdf:Keywords>
   <xmpMM:DocumentID>${uuidOf(m.documentId)}</xmpMM:DocumentID>
   <xmpMM:InstanceID>${uuidOf(m.instanceId)}</xmpMM:InstanceID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

function s15f16(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(Math.round(v * 65536));
  return b;
}

function pad4(b: Buffer): Buffer {
  return b.length % 4 ? Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]) : b;
}

/**
 * A minimal ICC v2 sRGB display profile (matrix/TRC): the D50-adapted sRGB primaries of
 * IEC 61966-2-1 and its tone curve sampled at 1024 points. Generated here because no
 * profile file is available to ship, and PDF/A needs one in the OutputIntent.
 */
export function srgbIccProfile(): Buffer {
  const desc = 'sRGB IEC61966-2.1 (Attest)';
  const descTag = Buffer.concat([
    Buffer.from('desc\0\0\0\0', 'latin1'),
    (() => {
      const n = Buffer.alloc(4);
      n.writeUInt32BE(desc.length + 1);
      return n;
    })(),
    Buffer.from(`${desc}\0`, 'latin1'),
    Buffer.alloc(4 + 4 + 2 + 1 + 67), // no Unicode or ScriptCode description
  ]);
  const text = (s: string): Buffer =>
    Buffer.concat([Buffer.from('text\0\0\0\0', 'latin1'), Buffer.from(`${s}\0`, 'latin1')]);
  const xyz = (x: number, y: number, z: number): Buffer =>
    Buffer.concat([Buffer.from('XYZ \0\0\0\0', 'latin1'), s15f16(x), s15f16(y), s15f16(z)]);
  const points = 1024;
  const curve = Buffer.alloc(12 + 2 * points);
  curve.write('curv', 0, 'latin1');
  curve.writeUInt32BE(points, 8);
  for (let i = 0; i < points; i++) {
    const v = i / (points - 1);
    const lin = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    curve.writeUInt16BE(Math.round(lin * 65535), 12 + 2 * i);
  }
  const data: [string, Buffer][] = [
    ['desc', descTag],
    ['cprt', text('No copyright, use freely')],
    ['wtpt', xyz(0.9505, 1.0, 1.089)],
    ['rXYZ', xyz(0.4361, 0.2225, 0.0139)],
    ['gXYZ', xyz(0.3851, 0.7169, 0.0971)],
    ['bXYZ', xyz(0.1431, 0.0606, 0.7141)],
    ['rTRC', curve],
  ];
  const tags: [string, number][] = [];
  const blobs: Buffer[] = [];
  const tagCount = data.length + 2; // gTRC and bTRC share rTRC's data
  let offset = 128 + 4 + 12 * tagCount;
  const offsets = new Map<string, [number, number]>();
  for (const [sig, blob] of data) {
    offsets.set(sig, [offset, blob.length]);
    tags.push([sig, offset]);
    const padded = pad4(blob);
    blobs.push(padded);
    offset += padded.length;
  }
  const trc = offsets.get('rTRC')!;
  const table = Buffer.alloc(4 + 12 * tagCount);
  table.writeUInt32BE(tagCount, 0);
  const entries: [string, number, number][] = [
    ...data.map(([sig]) => [sig, ...offsets.get(sig)!] as [string, number, number]),
    ['gTRC', trc[0], trc[1]],
    ['bTRC', trc[0], trc[1]],
  ];
  entries.forEach(([sig, off, len], i) => {
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(off, 8 + 12 * i);
    table.writeUInt32BE(len, 12 + 12 * i);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntr', 12, 'latin1');
  header.write('RGB ', 16, 'latin1');
  header.write('XYZ ', 20, 'latin1');
  [2024, 1, 1, 0, 0, 0].forEach((v, i) => header.writeUInt16BE(v, 24 + 2 * i));
  header.write('acsp', 36, 'latin1');
  s15f16(0.9642).copy(header, 68);
  s15f16(1.0).copy(header, 72);
  s15f16(0.8249).copy(header, 76);
  const profile = Buffer.concat([header, table, ...blobs]);
  profile.writeUInt32BE(profile.length, 0);
  return profile;
}

let icc: Buffer | null = null;

/** Write Info, XMP, OutputIntent, /Lang and /ID. */
export function applyMetadata(pdf: PDFDocument, m: DocumentMeta): void {
  pdf.setTitle(m.title, { showInWindowTitleBar: true });
  pdf.setAuthor(m.author);
  pdf.setSubject(m.subject);
  pdf.setKeywords(m.keywords);
  pdf.setCreator(m.creator);
  pdf.setProducer(m.producer);
  pdf.setCreationDate(m.created);
  pdf.setModificationDate(m.created);
  pdf.setLanguage(m.lang);

  const context = pdf.context;
  // XMP must stay uncompressed so that archive tools can find it without a PDF parser.
  const xmp = context.stream(Buffer.from(xmpPacket(m), 'utf8'), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  pdf.catalog.set(PDFName.of('Metadata'), context.register(xmp));

  icc ??= srgbIccProfile();
  const iccRef = context.register(context.flateStream(icc, { N: 3 }));
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: iccRef,
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), context.obj([context.register(intent)]));

  const id = PDFArray.withContext(context);
  id.push(PDFHexString.of(m.documentId));
  id.push(PDFHexString.of(m.instanceId));
  context.trailerInfo.ID = id;
}
