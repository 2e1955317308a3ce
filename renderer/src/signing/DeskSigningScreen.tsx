/**
 * The officers' desk view of a session's signing (issue 3 §6–9): opens it when the recording
 * has ended, hands the party the signing page (a second window on the pen display), follows
 * the party's progress, takes in the clerk's corrections after the review, records a refusal
 * with its reason, lets officers sign at the desk, and finishes the signed PDF.
 */
import { useCallback, useState } from 'react';
import { useClient } from '../api/ClientContext';
import { useCoreEvent, useResource } from '../api/hooks';
import type { SessionDto } from '../../../electron/shared/domain';
import {
  DEFAULT_CLOSING_STATEMENT,
  type SigningFinishedDto,
  type SigningStatusDto,
} from '../../../electron/shared/signing';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { errorText, StepsBar } from './common';
import { useSigningT, type SigningT } from './i18n';
import { signingHref } from './route';
import { SignaturePadField } from './SignaturePad';
import '../components/Field.css';
import './signing.css';

type Loaded = SigningStatusDto & { token?: string };

/** The party page's address in this app (same origin; the hash names the signing). */
export function partyPageUrl(signingId: number, token: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}${signingHref({ name: 'party', signingId, token })}`;
}

export function DeskSigningScreen({ sessionId }: { sessionId: number }) {
  const client = useClient();
  const t = useSigningT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [finished, setFinished] = useState<SigningFinishedDto | null>(null);
  const loadAll = useCallback(
    async () =>
      Promise.all([
        client.invoke('sessions.get', { id: sessionId }),
        client.invoke('signing.ofSession', { sessionId }),
      ]),
    [client, sessionId],
  );
  const resource = useResource(loadAll, { keepStale: true });
  const { reload } = resource;
  const session = resource.data?.[0] ?? null;
  const signing: Loaded | null = resource.data?.[1] ?? null;
  const loaded = resource.data !== undefined || resource.error !== undefined;
  const loadError = resource.error === undefined ? null : errorText(t, resource.error);

  useCoreEvent('signing.changed', (e) => {
    if (e.sessionId === sessionId) reload();
  });
  useCoreEvent('transcript.changed', (e) => {
    if (e.sessionId === sessionId) reload();
  });

  const run = useCallback(
    async <R,>(fn: () => Promise<R>, then?: (r: R) => void) => {
      setBusy(true);
      setError(null);
      try {
        const r = await fn();
        then?.(r);
      } catch (e) {
        setError(errorText(t, e));
      } finally {
        setBusy(false);
        reload();
      }
    },
    [reload, t],
  );

  if (!loaded) {
    return (
      <main className="sign sign--desk">
        <p role="status">…</p>
      </main>
    );
  }

  const caseHref = session ? `#/cases/${session.caseId}/sessions/${session.id}` : '#/cases';
  return (
    <main className="sign sign--desk" data-testid="desk-signing">
      <header className="sign__head">
        <div>
          <a className="sign__back" href={caseHref}>
            ← {t('desk.back')}
          </a>
          <h1 className="sign__title">
            {t('desk.title', { caseNo: signing?.caseNo ?? `#${sessionId}` })}
          </h1>
        </div>
        <LanguageSwitch />
      </header>
      {error || loadError ? (
        <p className="banner banner--error" role="alert">
          {error ?? loadError}
        </p>
      ) : null}
      {!signing ? (
        <OpenSigning
          t={t}
          session={session}
          busy={busy}
          onOpen={(closingText) =>
            void run(() => client.invoke('signing.open', { sessionId, closingText }), undefined)
          }
        />
      ) : (
        <SigningDesk
          t={t}
          signing={signing}
          busy={busy}
          finished={finished}
          refresh={() =>
            void run(() => client.invoke('signing.refresh', { signingId: signing.signingId }))
          }
          refuse={(reason) =>
            void run(() =>
              client.invoke('signing.refuse', { signingId: signing.signingId, reason }),
            )
          }
          sign={(officerId, handwriting) =>
            run(() =>
              client.invoke('signing.officer', {
                signingId: signing.signingId,
                version: signing.version,
                officerId,
                handwriting,
              }),
            )
          }
          finish={() =>
            void run(
              () => client.invoke('signing.finish', { signingId: signing.signingId }),
              setFinished,
            )
          }
        />
      )}
    </main>
  );
}

function OpenSigning({
  t,
  session,
  busy,
  onOpen,
}: {
  t: SigningT;
  session: SessionDto | null;
  busy: boolean;
  onOpen: (closingText: string) => void;
}) {
  const [text, setText] = useState(DEFAULT_CLOSING_STATEMENT);
  const ended = session?.status === 'ended';
  return (
    <section className="sign__panel">
      <p>{ended ? t('desk.none') : t('desk.notEnded')}</p>
      <label className="field">
        <span className="field__label">{t('desk.closingText')}</span>
        <input
          className="control"
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button
        type="button"
        className="button button--primary button--large"
        disabled={!ended || busy || text.trim().length < 2}
        onClick={() => onOpen(text.trim())}
      >
        {busy ? t('desk.opening') : t('desk.open')}
      </button>
    </section>
  );
}

function SigningDesk({
  t,
  signing: s,
  busy,
  finished,
  refresh,
  refuse,
  sign,
  finish,
}: {
  t: SigningT;
  signing: Loaded;
  busy: boolean;
  finished: SigningFinishedDto | null;
  refresh: () => void;
  refuse: (reason: string) => void;
  sign: (
    officerId: number,
    h: Parameters<Parameters<typeof SignaturePadField>[0]['onSubmit']>[0],
  ) => Promise<void>;
  finish: () => void;
}) {
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [officerId, setOfficerId] = useState<number | null>(null);
  const url = s.token ? partyPageUrl(s.signingId, s.token) : null;
  const mark = (done: boolean) => (done ? `✓ ${t('desk.done')}` : t('desk.notDone'));
  const skip = [
    ...(s.corrections.length === 0 ? (['corrections'] as const) : []),
    ...(s.pageCount < 2 ? (['seam'] as const) : []),
    ...(s.refusal ? (['review', 'corrections', 'pages', 'seam', 'closing'] as const) : []),
  ];
  const partyDone = s.step === 'officers' || s.step === 'finish';
  const open = s.state !== 'finished';
  const who = s.officers.find((o) => o.officerId === officerId && !o.signed);
  return (
    <>
      <StepsBar t={t} step={s.step} skip={[...skip]} />
      {open && url ? (
        <section className="sign__panel" aria-labelledby="screen-title">
          <h2 id="screen-title">{t('desk.screen')}</h2>
          <p>{t('desk.screenHelp')}</p>
          <p className="sign__url">
            <a href={url} target="_blank" rel="noreferrer" data-testid="party-link">
              {url}
            </a>
          </p>
          <button
            type="button"
            className="button"
            onClick={() => window.open(url, 'attest-signing', 'popup')}
          >
            {t('desk.openScreen')}
          </button>
        </section>
      ) : null}

      <section className="sign__panel" aria-labelledby="progress-title">
        <h2 id="progress-title">
          {t('desk.progress')}（{t('desk.version', { version: s.version })}，
          {t('desk.pagesCount', { count: s.pageCount })}）
        </h2>
        <ul className="sign__progress" data-testid="progress">
          {s.refusal ? (
            <li className="sign__refused">{t('desk.refused', { reason: s.refusal.reason })}</li>
          ) : (
            <>
              <li>{t('desk.viewed', { done: s.viewed.length, count: s.pageCount })}</li>
              {s.corrections.length ? (
                <li>
                  {t('desk.corrections', {
                    done: s.corrections.filter((c) => c.confirmed).length,
                    count: s.corrections.length,
                  })}
                </li>
              ) : null}
              <li>{t('desk.signedPages', { done: s.signedPages.length, count: s.pageCount })}</li>
              <li>
                {s.pageCount > 1 ? `${t('desk.seam')}：${mark(s.seamSigned)}` : t('desk.seamNone')}
              </li>
              <li>
                {t('desk.closing')}：{mark(s.closingSigned)}
              </li>
            </>
          )}
          <li>
            {t('desk.officers', {
              done: s.officers.filter((o) => o.signed).length,
              need: s.officersNeeded,
            })}
          </li>
        </ul>
      </section>

      {open && s.stale && !s.refusal ? (
        <section className="sign__panel sign__panel--warning">
          <p role="status">{t('desk.stale')}</p>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={refresh}
          >
            {t('desk.refresh')}
          </button>
        </section>
      ) : null}

      {open && !s.refusal ? (
        <section className="sign__panel">
          {refusing ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                refuse(reason.trim());
              }}
            >
              <label className="field">
                <span className="field__label">{t('desk.refuseReason')}</span>
                <textarea
                  className="control"
                  rows={3}
                  maxLength={500}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </label>
              <button
                type="submit"
                className="button button--primary"
                disabled={busy || reason.trim().length < 2}
              >
                {t('desk.refuseConfirm')}
              </button>
            </form>
          ) : (
            <button type="button" className="button" onClick={() => setRefusing(true)}>
              {t('desk.refuse')}
            </button>
          )}
        </section>
      ) : null}

      {open ? (
        <section className="sign__panel" aria-labelledby="officers-title">
          <h2 id="officers-title">{t('desk.officerSign')}</h2>
          <p>{t('desk.officerHint')}</p>
          <ul className="sign__officers">
            {s.officers.map((o) => (
              <li key={o.officerId}>
                <button
                  type="button"
                  className={`button${o.officerId === officerId ? ' button--primary' : ''}`}
                  disabled={!partyDone || o.signed || busy}
                  aria-pressed={o.officerId === officerId}
                  onClick={() => setOfficerId(o.officerId)}
                >
                  {o.name}（{o.certificateNo}）{o.signed ? ` ✓ ${t('desk.done')}` : ''}
                </button>
              </li>
            ))}
          </ul>
          {who && partyDone ? (
            <SignaturePadField
              key={`${s.version}:${who.officerId}`}
              testId="desk-pad"
              label={t('desk.officerPad', { name: who.name })}
              aspect={4}
              maxHeight={200}
              busy={busy}
              onSubmit={async (h) => {
                await sign(who.officerId, h);
                setOfficerId(null);
              }}
            />
          ) : null}
        </section>
      ) : null}

      {open ? (
        <section className="sign__panel">
          <button
            type="button"
            className="button button--primary button--large"
            disabled={busy || s.step !== 'finish'}
            onClick={finish}
          >
            {busy && s.step === 'finish' ? t('desk.finishing') : t('desk.finish')}
          </button>
        </section>
      ) : (
        <section className="sign__panel" data-testid="finished">
          <h2>{t('desk.finished')}</h2>
          <p>{t('desk.file', { path: finished?.path ?? s.finished?.path ?? '' })}</p>
          <p className="sign__hash">
            {t('desk.sha256', { sha256: finished?.sha256 ?? s.finished?.sha256 ?? '' })}
          </p>
        </section>
      )}
    </>
  );
}
