/**
 * PAdES signing (ETSI EN 319 142, SubFilter ETSI.CAdES.detached) of a PDF that pdf-lib is
 * about to write: reserve a signature dictionary with a fixed-size /Contents and a
 * /ByteRange placeholder, write the file, then fill /ByteRange with the real offsets,
 * sign the bytes outside /Contents and put the CMS into it.
 *
 * Written here rather than taken from @signpdf: its pdf-lib placeholder helper builds
 * objects with the original pdf-lib's classes, which are not @cantoo/pdf-lib's.
 */
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFString } from '@cantoo/pdf-lib';
import type { PDFDocument, PDFPage } from '@cantoo/pdf-lib';
import type { Signer } from '../pki';

/** Written into /ByteRange before the offsets are known; the same width as the result. */
const BYTE_RANGE_PLACEHOLDER = 9_999_999_999;

/** What the signature dictionary says about the signing. */
export interface SignatureInfo {
  /** /M: the signing time (also the CMS signingTime, so the two agree). */
  signingTime: Date;
  /** /Name: who signed (the certificate's subject is authoritative). */
  name?: string;
  reason?: string;
  location?: string;
  /** Bytes reserved for the CMS; {@link estimateContentsSize} gives a safe value. */
  contentsSize: number;
}

/** Reserve room for the CMS: a trial signature's size plus a margin (DER sizes vary a little). */
export async function estimateContentsSize(signer: Signer): Promise<number> {
  const trial = await signer.signDetached(Buffer.from('size probe'));
  return trial.length + 1024;
}

/**
 * Add an invisible signature field on `page` whose value is a signature dictionary with
 * placeholders. The document must then be saved with `useObjectStreams: false`, so the
 * dictionary is written as plain text that {@link finishSignature} can find and patch.
 */
export function addSignaturePlaceholder(
  pdf: PDFDocument,
  page: PDFPage,
  info: SignatureInfo,
): void {
  const context = pdf.context;
  const byteRange = PDFArray.withContext(context);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFNumber.of(BYTE_RANGE_PLACEHOLDER));
  const sig = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(info.contentsSize * 2)),
    M: PDFString.fromDate(info.signingTime),
    ...(info.name ? { Name: PDFHexString.fromText(info.name) } : {}),
    ...(info.reason ? { Reason: PDFHexString.fromText(info.reason) } : {}),
    ...(info.location ? { Location: PDFHexString.fromText(info.location) } : {}),
  });
  const sigRef = context.register(sig);
  // A zero-size widget: the signature is shown by the document's own drawn signatures; the
  // field exists so viewers find and verify it. Print (4) + Locked (128) flags.
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: sigRef,
    T: PDFString.of('AttestSignature'),
    F: 132,
    P: page.ref,
  });
  const widgetRef = context.register(widget);
  page.node.addAnnot(widgetRef);
  const acroForm = context.obj({ Fields: [widgetRef], SigFlags: 3 });
  pdf.catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
}

function indexOfAscii(buf: Buffer, s: string, from = 0): number {
  return buf.indexOf(Buffer.from(s, 'latin1'), from);
}

/**
 * Fill in /ByteRange, sign everything outside /Contents with `signer`, and write the CMS
 * into /Contents. `pdfBytes` is the file as saved after {@link addSignaturePlaceholder}.
 */
export async function finishSignature(
  pdfBytes: Uint8Array,
  signer: Signer,
  info: SignatureInfo,
): Promise<Buffer> {
  const pdf = Buffer.from(pdfBytes);
  const placeholder = `<${'0'.repeat(info.contentsSize * 2)}>`;
  const contentsStart = indexOfAscii(pdf, placeholder);
  if (contentsStart < 0 || indexOfAscii(pdf, placeholder, contentsStart + 1) >= 0) {
    throw new Error('signature placeholder not found exactly once');
  }
  const contentsEnd = contentsStart + placeholder.length;

  // pdf-lib writes the array as "[ 0 9999999999 9999999999 9999999999 ]"; find it in the
  // same dictionary (it is written before /Contents, within a few hundred bytes).
  const p = String(BYTE_RANGE_PLACEHOLDER);
  const brMarker = `[ 0 ${p} ${p} ${p} ]`;
  const brStart = pdf.lastIndexOf(Buffer.from(brMarker, 'latin1'), contentsStart);
  if (brStart < 0 || contentsStart - brStart > 4096) {
    throw new Error('ByteRange placeholder not found next to the signature contents');
  }
  const ranges = [0, contentsStart, contentsEnd, pdf.length - contentsEnd];
  const filled = `[ ${ranges.join(' ')} ]`.padEnd(brMarker.length, ' ');
  if (filled.length !== brMarker.length) throw new Error('ByteRange does not fit its placeholder');
  pdf.write(filled, brStart, 'latin1');

  const signed = Buffer.concat([pdf.subarray(0, contentsStart), pdf.subarray(contentsEnd)]);
  const cms = await signer.signDetached(signed, { signingTime: info.signingTime });
  if (cms.length > info.contentsSize) {
    throw new Error(`CMS of ${cms.length} bytes exceeds the ${info.contentsSize} reserved`);
  }
  // Hex, padded with zeros to the reserved length (DER ignores what follows its end).
  pdf.write(cms.toString('hex').toUpperCase(), contentsStart + 1, 'latin1');
  return pdf;
}

/**
 * Signs a finished document: the placeholder on `page`, the save it needs, the CMS over the
 * byte range. The one way a PDF of this app is signed (the record, the audit report).
 */
export async function signAndSave(
  pdf: PDFDocument,
  page: PDFPage,
  signer: Signer,
  info: Omit<SignatureInfo, 'contentsSize'>,
): Promise<Buffer> {
  const full = { ...info, contentsSize: await estimateContentsSize(signer) };
  addSignaturePlaceholder(pdf, page, full);
  const saved = await pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
  return finishSignature(saved, signer, full);
}
