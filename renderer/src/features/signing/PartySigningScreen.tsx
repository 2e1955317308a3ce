/**
 * The party's signing page (R2.2): a pen display or tablet showing nothing but
 * this record. The party pages through every page of the preview (each view is recorded),
 * confirms each change made after the review with initials at the change, signs and dates
 * every page, signs once across all pages (the seam), writes the closing statement; then
 * the officers sign, here or at the desk. Not signed in: the address carries the signing's
 * token, which reaches this one signing and nothing else.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useClient } from '../../app/ClientContext';
import { ApiError } from '@shared/client';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import type { CorrectionDto, HandwritingInput, SigningStatusDto } from '@shared/api/signing';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import {
  errorText,
  shownPart,
  StepsBar,
  usePreview,
  useSigningCall,
  type LoadedPdf,
} from './common';
import { useSectionT, type SectionT } from '../../i18n/section';
import { PdfPage } from './PdfPage';
import { SignaturePadField } from './SignaturePad';
import './signing.css';

/** Page width on screen: as wide as the display allows, up to about A4 at 100 %. */
function usePageWidth(max = 860): number {
  const [width, setWidth] = useState(() => Math.min(max, Math.max(320, window.innerWidth - 48)));
  useEffect(() => {
    const onResize = () => setWidth(Math.min(max, Math.max(320, window.innerWidth - 48)));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [max]);
  return width;
}

export function PartySigningScreen({ signingId, token }: { signingId: number; token: string }) {
  const client = useClient();
  const t = useSectionT('signing');
  const loadStatus = useCallback(
    () => client.invoke('signing.status', { signingId, token }),
    [client, signingId, token],
  );
  const resource = useResource(loadStatus, { keepStale: true });
  const { reload } = resource;
  const { busy, error, run } = useSigningCall(t, reload);
  const status = resource.data ?? null;
  const invalid = resource.error !== undefined && !status;
  const [reading, setReading] = useState(false);

  useCoreEvent('signing.changed', (e) => {
    if (e.signingId === signingId) reload();
  });
  useCoreEvent('transcript.changed', (e) => {
    if (e.sessionId === status?.sessionId) reload();
  });

  const { pdf, error: pdfError } = usePreview(client, status, token);

  /** Runs one act; the core announces the change and the status is read again. */
  const act = async (
    fn: () => Promise<unknown>,
    word?: (t: SectionT<'signing'>, e: unknown) => string,
  ) => {
    await run(fn, undefined, word);
  };

  if (invalid && !status) {
    return (
      <main className="sign sign--party">
        <p className="banner banner--error" role="alert">
          {t('party.invalid')}
        </p>
      </main>
    );
  }
  if (!status) {
    return (
      <main className="sign sign--party">
        <p role="status">{t('party.loading')}</p>
      </main>
    );
  }

  const { signer: mine, skip } = shownPart(status);
  const access = {
    signingId,
    token,
    version: status.version,
    ...(status.signer !== null ? { signer: status.signer } : {}),
  };
  const refused = mine.state === 'refused';
  const previous = status.signer ? status.signers[status.signer - 1] : undefined;

  let body: ReactNode;
  if (status.state === 'finished') {
    body = (
      <p className="sign__done" role="status">
        {t('party.finished')}
      </p>
    );
  } else if (!pdf) {
    body = pdfError ? (
      <p className="banner banner--error" role="alert">
        {errorText(t, pdfError)}
      </p>
    ) : (
      <p role="status">{t('party.loadingPages')}</p>
    );
  } else if (reading || status.step === 'review') {
    body = (
      <Review
        // Each signer starts at the first page.
        key={status.signer ?? 'all'}
        t={t}
        status={status}
        pdf={pdf}
        onView={(page) => {
          // The last page read ends the review, but the party goes on to sign when they say
          // so: the page they are reading stays on the screen until then.
          const rest = status.pages.filter((p) => !status.viewed.includes(p.number));
          if (status.step === 'review' && rest.length === 1 && rest[0]!.number === page)
            setReading(true);
          void act(() => client.invoke('signing.viewPage', { ...access, page }));
        }}
        onBack={status.step === 'review' ? null : () => setReading(false)}
        backLabel={
          status.signedPages.length === 0 && !refused
            ? t('party.startSigning')
            : t('party.backToSigning')
        }
      />
    );
  } else {
    body = (
      <StepBody
        t={t}
        status={status}
        pdf={pdf}
        busy={busy}
        paused={status.stale}
        confirm={(c, handwriting) =>
          act(() =>
            client.invoke('signing.confirmCorrection', {
              ...access,
              correctionId: c.id,
              handwriting,
            }),
          )
        }
        signPage={(page, handwriting) =>
          act(() => client.invoke('signing.signPage', { ...access, page, handwriting }))
        }
        seam={(handwriting) => act(() => client.invoke('signing.seam', { ...access, handwriting }))}
        closing={(handwriting) =>
          act(() => client.invoke('signing.closingStatement', { ...access, handwriting }))
        }
        officer={(officerId, handwriting) =>
          act(
            () => client.invoke('signing.officer', { ...access, officerId, handwriting }),
            // Refused here means the desk's arming ran out or was withdrawn.
            (tt, e) =>
              e instanceof ApiError && e.code === 'FORBIDDEN'
                ? tt('errors.notArmed')
                : errorText(tt, e),
          )
        }
      />
    );
  }

  return (
    <main
      className="sign sign--party"
      data-step={status.step}
      data-version={status.version}
      data-signer={status.signer ?? ''}
    >
      <header className="sign__head">
        <div>
          <h1 className="sign__title">{t('party.title', { title: status.title })}</h1>
          <p className="sign__case">
            {t('party.caseLine', { caseNo: status.caseNo, party: status.partyName })}
          </p>
        </div>
        <LanguageSwitch />
      </header>
      {status.signers.length > 1 && status.signer !== null ? (
        <p className="banner sign__signer" role="status" data-testid="signer-now">
          {previous && status.step === 'review'
            ? t('party.signerHandover', {
                previous: `${previous.role} ${previous.name}`,
                role: mine.role,
                name: mine.name,
              })
            : t('party.signerNow', {
                role: mine.role,
                name: mine.name,
                n: mine.index + 1,
                count: status.signers.length,
              })}
        </p>
      ) : null}
      <StepsBar t={t} step={status.step} skip={skip} />
      {status.stale && !status.signers.some((x) => x.refusal) ? (
        <p className="banner banner--warning" role="status">
          {t('party.stale')}
        </p>
      ) : null}
      {error ? (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      ) : null}
      {!reading && status.step !== 'review' && pdf && !refused && status.state !== 'finished' ? (
        <p className="sign__reread">
          <button type="button" className="button" onClick={() => setReading(true)}>
            {t('party.readAgain')}
          </button>
        </p>
      ) : null}
      {body}
    </main>
  );
}

/** Paging through the record; each page shown is recorded once per version. */
function Review({
  t,
  status,
  pdf,
  onView,
  onBack,
  backLabel,
}: {
  t: SectionT<'signing'>;
  status: SigningStatusDto;
  pdf: LoadedPdf;
  onView: (page: number) => void;
  onBack: (() => void) | null;
  backLabel: string;
}) {
  const width = usePageWidth();
  const [page, setPage] = useState(
    () => status.pages.find((p) => !status.viewed.includes(p.number))?.number ?? 1,
  );
  const sent = useRef(new Set<string>());
  const viewed = status.viewed;
  const shown = useCallback(
    (p: number) => {
      // Once per version and signer: each signer of a hearing reads every page themselves.
      const key = `${status.version}:${status.signer ?? ''}:${p}`;
      if (viewed.includes(p) || sent.current.has(key) || status.step !== 'review') return;
      sent.current.add(key);
      onView(p);
    },
    [viewed, status.version, status.signer, status.step, onView],
  );
  const count = status.pageCount;
  return (
    <section className="sign__review" aria-labelledby="review-title">
      <p id="review-title" className="sign__intro">
        {t('party.review.intro')}
      </p>
      <nav className="sign__pager" aria-label={t('party.review.pageOf', { page, count })}>
        <button
          type="button"
          className="button button--large"
          disabled={page <= 1}
          onClick={() => setPage((p) => p - 1)}
        >
          {t('party.review.prev')}
        </button>
        <span className="sign__pageof" data-testid="page-of">
          {t('party.review.pageOf', { page, count })}
        </span>
        <button
          type="button"
          className="button button--primary button--large"
          disabled={page >= count}
          onClick={() => setPage((p) => p + 1)}
        >
          {t('party.review.next')}
        </button>
      </nav>
      <ol className="sign__dots" aria-label={t('party.review.seen')}>
        {status.pages.map((p) => (
          <li key={p.number}>
            <button
              type="button"
              className={`sign__dot${viewed.includes(p.number) ? ' sign__dot--seen' : ''}${p.number === page ? ' sign__dot--current' : ''}`}
              aria-label={`${t('party.review.pageOf', { page: p.number, count })}：${viewed.includes(p.number) ? t('party.review.seen') : t('party.review.notSeen')}`}
              aria-current={p.number === page ? 'page' : undefined}
              onClick={() => setPage(p.number)}
            >
              {p.number}
            </button>
          </li>
        ))}
      </ol>
      <PdfPage
        pdf={pdf.doc}
        page={page}
        width={width}
        pageSize={status.pageSize}
        label={t('party.review.pageLabel', { page })}
        onShown={shown}
      />
      {viewed.length === count ? (
        <p className="sign__note" role="status">
          {t('party.review.allSeen')}
        </p>
      ) : (
        <p className="sign__note">{t('party.review.ask')}</p>
      )}
      {onBack ? (
        <button
          type="button"
          className="button button--primary button--large"
          onClick={onBack}
          data-testid="back-to-signing"
        >
          {backLabel}
        </button>
      ) : null}
    </section>
  );
}

interface StepBodyProps {
  t: SectionT<'signing'>;
  status: SigningStatusDto;
  pdf: LoadedPdf;
  /** One of the page's acts is being saved. */
  busy: boolean;
  /** The record changed at the desk: signing waits for the new version (nothing is saving). */
  paused: boolean;
  confirm: (c: CorrectionDto, h: HandwritingInput) => Promise<void>;
  signPage: (page: number, h: HandwritingInput) => Promise<void>;
  seam: (h: HandwritingInput) => Promise<void>;
  closing: (h: HandwritingInput) => Promise<void>;
  officer: (officerId: number, h: HandwritingInput) => Promise<void>;
}

function StepBody(props: StepBodyProps) {
  const { t, status, pdf, busy } = props;
  const width = usePageWidth(620);
  switch (status.step) {
    case 'corrections': {
      const open = status.corrections.filter((c) => !c.confirmed);
      const c = open[0]!;
      const n = status.corrections.length - open.length + 1;
      const slot = status.pages
        .find((p) => p.number === c.page)
        ?.slots.find((s) => s.type === 'initials' && s.correctionId === c.id);
      return (
        <section className="sign__step" data-testid="step-corrections">
          <p className="sign__intro">{t('party.corrections.intro')}</p>
          <p className="sign__count">
            {t('party.corrections.countOf', { n, count: status.corrections.length })}
          </p>
          <p className="sign__change" data-testid="correction">
            <span className="sign__where">
              {t('party.corrections.where', { page: c.page, speaker: c.speaker })}
            </span>
            …{c.before}
            {c.originalText ? (
              <del title={t('party.corrections.removed')}>{c.originalText}</del>
            ) : null}
            {c.newText ? <ins title={t('party.corrections.added')}>{c.newText}</ins> : null}
            {c.after}…
          </p>
          <SignaturePadField
            key={`${status.version}:${c.id}`}
            testId="pad"
            label={t('party.corrections.pad', { page: c.page })}
            aspect={2}
            maxHeight={220}
            busy={busy}
            disabled={props.paused}
            submitLabel={t('party.corrections.submit')}
            onSubmit={(h) => props.confirm(c, h)}
          />
          <PdfPage
            pdf={pdf.doc}
            page={c.page}
            width={width}
            pageSize={status.pageSize}
            label={t('party.review.pageLabel', { page: c.page })}
            highlights={slot ? [{ box: slot.box, label: t('party.corrections.mark') }] : []}
          />
        </section>
      );
    }
    case 'pages': {
      const page = status.pages.find((p) => !status.signedPages.includes(p.number))!;
      const slot = page.slots.find((s) => s.type === 'page' && s.signer === (status.signer ?? 0));
      return (
        <section className="sign__step" data-testid="step-pages">
          <p className="sign__intro">{t('party.pages.intro')}</p>
          <p className="sign__count">
            {t('party.pages.countOf', { page: page.number, count: status.pageCount })}
          </p>
          <SignaturePadField
            key={`${status.version}:page:${page.number}`}
            testId="pad"
            label={t('party.pages.pad', { page: page.number })}
            aspect={slot ? Math.max(2.5, slot.box.w / slot.box.h) : 4}
            maxHeight={220}
            busy={busy}
            disabled={props.paused}
            submitLabel={t('party.pages.submit', { page: page.number })}
            onSubmit={(h) => props.signPage(page.number, h)}
          />
          <PdfPage
            pdf={pdf.doc}
            page={page.number}
            width={width}
            pageSize={status.pageSize}
            label={t('party.review.pageLabel', { page: page.number })}
            highlights={slot ? [{ box: slot.box, label: t('party.pages.mark') }] : []}
          />
        </section>
      );
    }
    case 'seam': {
      const band = status.pages[0]?.seams.find((x) => x.signer === (status.signer ?? 0))?.band;
      const n = status.pageCount;
      return (
        <section className="sign__step" data-testid="step-seam">
          <p className="sign__intro">{t('party.seam.intro', { count: n })}</p>
          <SignaturePadField
            key={`${status.version}:seam`}
            testId="pad"
            label={t('party.seam.pad', { count: n })}
            aspect={band ? band.w / band.h : 3}
            maxHeight={300}
            guides={Array.from({ length: n - 1 }, (_, i) => (i + 1) / n)}
            busy={busy}
            disabled={props.paused}
            submitLabel={t('party.seam.submit')}
            onSubmit={props.seam}
          />
        </section>
      );
    }
    case 'closing':
      return (
        <section className="sign__step" data-testid="step-closing">
          <p className="sign__intro">{t('party.closing.intro')}</p>
          <p className="sign__closing-text" lang="zh-CN">
            {status.closingText}
          </p>
          <SignaturePadField
            key={`${status.version}:closing`}
            testId="pad"
            label={t('party.closing.pad', { text: status.closingText })}
            aspect={5}
            maxHeight={240}
            busy={busy}
            disabled={props.paused}
            submitLabel={t('party.closing.submit')}
            onSubmit={props.closing}
          />
        </section>
      );
    case 'officers':
      return <OfficersStep {...props} />;
    case 'finish':
      return (
        <p className="sign__done" role="status">
          {t('party.finish')}
        </p>
      );
    default:
      return null;
  }
}

/**
 * Officers sign here only one at a time, as the desk armed it: the officer confirmed at the
 * desk that it is them, and this page shows the pad for that officer alone (R2.2).
 */
function OfficersStep({ t, status, busy, paused, officer }: StepBodyProps) {
  const who = status.armed
    ? status.officers.find((o) => o.officerId === status.armed!.officerId && !o.signed)
    : undefined;
  return (
    <section className="sign__step" data-testid="step-officers">
      <p className="sign__intro" role="status">
        {status.signers.length > 1
          ? t('party.officers.everyoneDone')
          : status.refusal
            ? t('party.officers.refused')
            : t('party.officers.partyDone')}
      </p>
      <p>{t('party.officers.intro')}</p>
      <ul className="sign__officers">
        {status.officers.map((o) => (
          <li key={o.officerId} className="sign__officer">
            {o.name}
            {o.signed ? `（${t('party.officers.signed')}）` : ''}
          </li>
        ))}
      </ul>
      {who ? (
        <p className="sign__who" role="status" data-testid="officer-now">
          {t('party.officers.now', { name: who.name, certificateNo: who.certificateNo })}
        </p>
      ) : null}
      {who ? (
        <SignaturePadField
          key={`${status.version}:officer:${who.officerId}:${status.armed!.until}`}
          testId="pad"
          label={t('party.officers.pad', { name: who.name })}
          aspect={4}
          maxHeight={220}
          busy={busy}
          disabled={paused}
          submitLabel={t('party.officers.submit')}
          onSubmit={(h) => officer(who.officerId, h)}
        />
      ) : (
        <p className="sign__waiting" data-testid="officer-waiting">
          {t('party.officers.waiting')}
        </p>
      )}
    </section>
  );
}
