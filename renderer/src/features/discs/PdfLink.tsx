/** The PDFs the disc screen produces (label sheet, case file index): saved, and offered. */
import { useMemo, useState } from 'react';
import type { PdfDto } from '@shared/api/discs';
import type { SectionT } from '../../i18n/section';

/** A produced PDF and a download address for it, released when replaced or unmounted. */
export function usePdf(): [PdfDto | null, (p: PdfDto) => void, string | null] {
  const [pdf, setPdf] = useState<PdfDto | null>(null);
  const href = useMemo(() => {
    if (!pdf) return null;
    const bytes = Uint8Array.from(atob(pdf.data), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  }, [pdf]);
  return [pdf, setPdf, href];
}

/** Where a produced PDF was saved, with a link to download it. */
export function PdfLink({
  t,
  pdf,
  href,
}: {
  t: SectionT<'discs'>;
  pdf: PdfDto | null;
  href: string | null;
}) {
  if (!pdf || !href) return null;
  return (
    <p className="discs__pdf">
      {t('pdfReady', { file: pdf.fileName, path: pdf.savedAt ?? '—' })}{' '}
      <a href={href} download={pdf.fileName}>
        {t('download')}
      </a>
    </p>
  );
}
