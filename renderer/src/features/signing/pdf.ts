/**
 * The preview PDF on the tablet: fetched from the core in pieces (frames are at most 1 MiB)
 * and drawn with pdf.js, so the party sees the pages exactly as they will print. pdf.js and
 * its worker load only on the signing pages; the worker is a file of our own origin (the
 * CSP allows no other), and nothing that needs eval or WebAssembly is switched on.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { Client } from '@shared/client';

export type { PDFDocumentProxy };

/** Base64 to bytes without `atob` string juggling per byte in a loop of concatenations. */
export function fromBase64(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Which layout a preview or a status is of: the party signing or refusing, and which of the
 * others refused (each refusal lays the record out again).
 */
export function layoutKey(s: { mode: 'signed' | 'refused'; refusals: readonly number[] }): string {
  return [s.mode, ...s.refusals].join('+');
}

/** All pieces of the preview of a signing, joined. */
export async function fetchPreview(
  client: Client,
  access: { signingId: number; token?: string },
): Promise<{ bytes: Uint8Array; version: number; mode: string }> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  let first = await client.invoke('signing.preview', { ...access, offset });
  let chunk = first;
  for (;;) {
    const bytes = fromBase64(chunk.base64);
    parts.push(bytes);
    offset += bytes.length;
    if (bytes.length === 0 || offset >= chunk.total) break;
    chunk = await client.invoke('signing.preview', { ...access, offset });
    if (chunk.version !== first.version || layoutKey(chunk) !== layoutKey(first)) {
      // The text changed while the pieces came: start over.
      parts.length = 0;
      offset = 0;
      first = chunk = await client.invoke('signing.preview', { ...access, offset });
    }
  }
  const { version } = first;
  const mode = layoutKey(first);
  const bytes = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, version, mode };
}

/** Opens PDF bytes with pdf.js (loaded on first use). */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const pdfjs = await import('pdfjs-dist');
  pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
  return pdfjs.getDocument({
    data: bytes,
    // Under `script-src 'self'`: no WebAssembly decoders (our pages have no images), no
    // system fonts (the PDF embeds its own), no XFA, no scripting.
    useWasm: false,
    useSystemFonts: false,
    enableXfa: false,
    stopAtErrors: true,
  }).promise;
}
