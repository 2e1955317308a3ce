/**
 * One page of the preview, drawn by pdf.js at the screen's resolution, with frames over the
 * places the party writes (a signature line, a correction's initials box).
 */
import { useEffect, useRef, useState } from 'react';
import type { BoxDto } from '@shared/api/signing';
import type { PDFDocumentProxy } from './pdf';

export interface Highlight {
  box: BoxDto;
  /** Accessible text of the frame (e.g. 请在此处签名). */
  label?: string;
}

export interface PdfPageProps {
  pdf: PDFDocumentProxy;
  /** 1-based. */
  page: number;
  /** CSS width of the page on screen. */
  width: number;
  pageSize: { width: number; height: number };
  highlights?: Highlight[];
  label: string;
  /** Called once the page is on screen (drawn). */
  onShown?: (page: number) => void;
}

export function PdfPage({ pdf, page, width, pageSize, highlights, label, onShown }: PdfPageProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState<number | null>(null);
  const height = Math.round((width * pageSize.height) / pageSize.width);

  useEffect(() => {
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<unknown> } | null = null;
    void (async () => {
      const p = await pdf.getPage(page);
      const el = canvas.current;
      if (cancelled || !el) return;
      const ratio = Math.max(1, window.devicePixelRatio || 1);
      const viewport = p.getViewport({ scale: (width / p.view[2]!) * ratio });
      el.width = Math.round(viewport.width);
      el.height = Math.round(viewport.height);
      task = p.render({ canvas: el, viewport });
      try {
        await task.promise;
        if (!cancelled) setDrawn(page);
      } catch {
        // Cancelled by a newer render.
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [pdf, page, width]);

  useEffect(() => {
    if (drawn === page) onShown?.(page);
  }, [drawn, page, onShown]);

  return (
    <figure
      className="pdfpage"
      style={{ width, height }}
      data-page={page}
      data-drawn={drawn === page}
    >
      <canvas
        ref={canvas}
        className="pdfpage__canvas"
        role="img"
        aria-label={label}
        style={{ width, height }}
      />
      {highlights?.map((h, i) => (
        <span
          key={i}
          className="pdfpage__mark"
          title={h.label}
          style={{
            left: `${(h.box.x / pageSize.width) * 100}%`,
            top: `${((pageSize.height - h.box.y - h.box.h) / pageSize.height) * 100}%`,
            width: `${(h.box.w / pageSize.width) * 100}%`,
            height: `${(h.box.h / pageSize.height) * 100}%`,
          }}
        />
      ))}
    </figure>
  );
}
