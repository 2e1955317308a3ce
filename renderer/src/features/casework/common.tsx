/**
 * Pieces the case's documents panels share: a PDF fetched on demand, a signing pad, a file
 * read as base64.
 */
import { useMemo, useState } from 'react';
import type { PdfDto } from '@shared/api/discs';
import type { HandwritingInput } from '@shared/api/signing';
import { useSectionT } from '../../i18n/section';
import { SignaturePadField } from '../signing/SignaturePad';

/** A button that fetches a PDF from the core, then a link to save it. */
export function PdfButton({ label, load }: { label: string; load: () => Promise<PdfDto> }) {
  const t = useSectionT('casework');
  const [pdf, setPdf] = useState<PdfDto | null>(null);
  const [busy, setBusy] = useState(false);
  const href = useMemo(() => {
    if (!pdf) return null;
    const bytes = Uint8Array.from(atob(pdf.data), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  }, [pdf]);
  if (pdf && href)
    return (
      <a className="button" href={href} download={pdf.fileName}>
        {t('pdf')} · {pdf.fileName}
      </a>
    );
  return (
    <button
      type="button"
      className="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        load()
          .then(setPdf)
          .finally(() => setBusy(false));
      }}
    >
      {label}
    </button>
  );
}

/** The pad a person signs on in person at the desk (the handwriting goes with the act). */
export function SignPad({
  label,
  busy,
  onSign,
  testId,
}: {
  label: string;
  busy: boolean;
  /** Sends the act; the pad waits for it (a refusal is the caller's to show). */
  onSign: (h: HandwritingInput) => unknown;
  testId?: string;
}) {
  return (
    <SignaturePadField
      label={label}
      aspect={3.5}
      maxHeight={160}
      busy={busy}
      onSubmit={async (h) => {
        await onSign(h);
      }}
      {...(testId ? { testId } : {})}
    />
  );
}

/** A chosen file's bytes as base64, as the contract carries uploads. */
export async function fileToBase64(file: File): Promise<string> {
  let binary = '';
  for (const byte of new Uint8Array(await file.arrayBuffer())) binary += String.fromCharCode(byte);
  return btoa(binary);
}
