/**
 * Pieces both signing pages use: error wording, the preview PDF for a signing's version,
 * the steps bar.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '@shared/client';
import type { Client } from '@shared/client';
import type { SigningStatusDto, SigningStep } from '@shared/api/signing';
import { fetchPreview, layoutKey, openPdf, type PDFDocumentProxy } from './pdf';
import type { SectionT } from '../../i18n/section';

export function errorText(t: SectionT<'signing'>, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'FORBIDDEN':
      case 'UNAUTHENTICATED':
        return t('errors.FORBIDDEN');
      case 'RULE_VIOLATION':
        return t('errors.RULE_VIOLATION', { message });
      case 'CONFLICT':
        return t('errors.CONFLICT', { message });
      case 'NOT_FOUND':
        return t('errors.NOT_FOUND', { message });
      default:
        break;
    }
  }
  return t('errors.other', { message });
}

/** Runs one call of a signing page: busy while it runs, its error in the banner, then a reload. */
export type Run = <R>(
  fn: () => Promise<R>,
  then?: (r: R) => void,
  word?: (t: SectionT<'signing'>, e: unknown) => string,
) => Promise<boolean>;

/**
 * The one way both signing pages act: `run` reports whether the call went through; on
 * failure `error` holds its wording (`word`, by default {@link errorText}); either way the
 * status is read again.
 */
export function useSigningCall(
  t: SectionT<'signing'>,
  reload: () => void,
): { busy: boolean; error: string | null; run: Run } {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run: Run = useCallback(
    async <R,>(
      fn: () => Promise<R>,
      then?: (r: R) => void,
      word: (t: SectionT<'signing'>, e: unknown) => string = errorText,
    ): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        const r = await fn();
        then?.(r);
        return true;
      } catch (e) {
        setError(word(t, e));
        return false;
      } finally {
        setBusy(false);
        reload();
      }
    },
    [reload, t],
  );
  return { busy, error, run };
}

export interface LoadedPdf {
  doc: PDFDocumentProxy;
  version: number;
  /** The layout it shows ({@link layoutKey}). */
  mode: string;
}

/** The preview of the signing's current version (and layout: signed or refused), loaded once. */
export function usePreview(
  client: Client,
  status: SigningStatusDto | null,
  token: string | undefined,
): { pdf: LoadedPdf | null; error: unknown } {
  const [pdf, setPdf] = useState<LoadedPdf | null>(null);
  const [error, setError] = useState<unknown>(null);
  const signingId = status?.signingId;
  const version = status?.version;
  const mode = status
    ? layoutKey({
        mode: status.refusal ? 'refused' : 'signed',
        refusals: status.signers.filter((x) => x.index > 0 && x.refusal).map((x) => x.index),
      })
    : undefined;
  const finished = status?.state === 'finished';
  useEffect(() => {
    if (signingId === undefined || finished) return;
    let live = true;
    void (async () => {
      try {
        const preview = await fetchPreview(client, {
          signingId,
          ...(token !== undefined ? { token } : {}),
        });
        const doc = await openPdf(preview.bytes);
        if (live) {
          setPdf({ doc, version: preview.version, mode: preview.mode });
          setError(null);
        } else void doc.loadingTask.destroy();
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [client, signingId, version, mode, token, finished]);
  const current = pdf && pdf.version === version && pdf.mode === mode ? pdf : null;
  return { pdf: current, error };
}

const ORDER: readonly SigningStep[] = [
  'review',
  'corrections',
  'pages',
  'seam',
  'closing',
  'officers',
  'finish',
];

/**
 * Whose part the tablet shows (whoever's turn it is or, once all are done, the last signer,
 * who may still refuse until an officer signs), and the steps that are not theirs: the
 * corrections are the one questioned's, the seam theirs and where the form has the others sign
 * it, and a refusal ends the part.
 */
export function shownPart(s: SigningStatusDto) {
  const signer = s.signers[s.signer ?? s.signers.length - 1]!;
  const skip: SigningStep[] = [];
  if (s.corrections.length === 0 || signer.index > 0) skip.push('corrections');
  const seamIsTheirs = (s.pages[0]?.seams ?? []).some((x) => x.signer === signer.index);
  if (s.pageCount < 2 || !seamIsTheirs) skip.push('seam');
  if (signer.state === 'refused') skip.push('review', 'corrections', 'pages', 'seam', 'closing');
  return { signer, skip };
}

/** The steps of the signing, the current one marked. */
export function StepsBar({
  t,
  step,
  skip,
}: {
  t: SectionT<'signing'>;
  step: SigningStep;
  /** Steps that do not apply (no corrections, a one-page record, a refusal). */
  skip: SigningStep[];
}) {
  const at = step === 'finished' ? ORDER.length : ORDER.indexOf(step);
  return (
    <ol className="sign-steps" aria-label={t('steps.label')}>
      {ORDER.filter((s) => !skip.includes(s)).map((s) => {
        const i = ORDER.indexOf(s);
        const state = i < at ? 'done' : i === at ? 'current' : 'todo';
        return (
          <li
            key={s}
            className={`sign-steps__item sign-steps__item--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            {t(`steps.${s}`)}
          </li>
        );
      })}
    </ol>
  );
}
