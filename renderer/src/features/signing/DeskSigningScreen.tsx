/**
 * The officers' desk view of a session's signing (R2.2): opens it when the recording
 * has ended, hands the party the signing page (a second window on the pen display), follows
 * the party's progress, takes in the clerk's corrections after the review, records a refusal
 * with its reason, lets officers sign at the desk, and finishes the signed PDF.
 */
import { useCallback, useState } from 'react';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import type { SessionDto } from '@shared/domain';
import {
  DEFAULT_CLOSING_STATEMENT,
  READ_ALOUD_CLOSING_STATEMENT,
  type SigningFinishedDto,
  type SigningStatusDto,
} from '@shared/api/signing';
import { errorText, shownPart, StepsBar, useSigningCall, type Run } from './common';
import { useSectionT, type SectionT } from '../../i18n/section';
import { routeHref } from '../../app/route';
import { LanTablet } from './LanTablet';
import { OfficerSigning, officerErrorText, type OfficerSigningProps } from './OfficerSigning';
import {
  EMPTY_OVERRIDE,
  NoticeOverride,
  overrideInput,
  useMissingNotices,
  type OverrideDraft,
} from './NoticeOverride';
import '../../ui/Field.css';
import './signing.css';

type Loaded = SigningStatusDto;

/**
 * The party page's token as the desk got it (opening the signing, or a new page): kept for
 * this browser tab only, since the core keeps nothing but its hash.
 */
const pageTokens = {
  key: (signingId: number) => `attest:party-page:${signingId}`,
  get(signingId: number): string | null {
    try {
      return sessionStorage.getItem(this.key(signingId));
    } catch {
      return null;
    }
  },
  set(signingId: number, token: string): void {
    try {
      sessionStorage.setItem(this.key(signingId), token);
    } catch {
      // private mode: the link lasts until the page is left
    }
  },
};

/** The party page's address in this app (same origin; the hash names the signing). */
export function partyPageUrl(signingId: number, token: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}${routeHref({ name: 'partySigning', signingId, token })}`;
}

export function DeskSigningScreen({ sessionId }: { sessionId: number }) {
  const client = useClient();
  const t = useSectionT('signing');
  const me = useUser();
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
  const { busy, error, run } = useSigningCall(t, reload);
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

  if (!loaded) {
    return (
      <section className="sign sign--desk">
        <p role="status">{t('desk.loading')}</p>
      </section>
    );
  }

  const caseHref = routeHref(
    session
      ? { name: 'session', caseId: session.caseId, sessionId: session.id }
      : { name: 'cases' },
  );
  return (
    <section className="sign sign--desk" data-testid="desk-signing" aria-labelledby="desk-title">
      <header className="sign__head">
        <div>
          <a className="sign__back" href={caseHref}>
            ← {t('desk.back')}
          </a>
          <h1 className="sign__title" id="desk-title">
            {signing ? t('desk.title', { caseNo: signing.caseNo }) : t('desk.titleOpening')}
          </h1>
        </div>
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
          onOpen={(closingText, noticeOverride, readerOfficerId) =>
            void run(
              () =>
                client.invoke('signing.open', {
                  sessionId,
                  closingText,
                  ...(noticeOverride ? { noticeOverride } : {}),
                  ...(readerOfficerId ? { readAloud: { readerOfficerId } } : {}),
                }),
              (opened) => pageTokens.set(opened.signingId, opened.token),
            )
          }
        />
      ) : (
        <SigningDesk
          t={t}
          signing={signing}
          busy={busy}
          run={run}
          finished={finished}
          sessionHref={caseHref}
          refresh={() =>
            void run(() => client.invoke('signing.refresh', { signingId: signing.signingId }))
          }
          refuse={(reason) =>
            void run(() =>
              client.invoke('signing.refuse', {
                signingId: signing.signingId,
                reason,
                ...(signing.signer !== null ? { signer: signing.signer } : {}),
              }),
            )
          }
          myOfficerId={me.officerId}
          sign={(officerId, handwriting, confirmation) =>
            run(
              () =>
                client.invoke('signing.officer', {
                  signingId: signing.signingId,
                  version: signing.version,
                  officerId,
                  handwriting,
                  ...(confirmation ? { confirmation } : {}),
                }),
              undefined,
              officerErrorText,
            )
          }
          arm={(officerId, confirmation) =>
            run(
              () =>
                client.invoke('signing.armOfficer', {
                  signingId: signing.signingId,
                  officerId,
                  ...(confirmation ? { confirmation } : {}),
                }),
              undefined,
              officerErrorText,
            )
          }
          disarm={() =>
            void run(() => client.invoke('signing.disarmOfficer', { signingId: signing.signingId }))
          }
          finish={() =>
            void run(
              () => client.invoke('signing.finish', { signingId: signing.signingId }),
              setFinished,
            )
          }
        />
      )}
    </section>
  );
}

function OpenSigning({
  t,
  session,
  busy,
  onOpen,
}: {
  t: SectionT<'signing'>;
  session: SessionDto | null;
  busy: boolean;
  onOpen: (
    closingText: string,
    noticeOverride: NonNullable<ReturnType<typeof overrideInput>> | undefined,
    readerOfficerId: number | undefined,
  ) => void;
}) {
  const [text, setText] = useState(DEFAULT_CLOSING_STATEMENT);
  // A party who cannot read has the record read aloud by one of the officers (宣读).
  const [reader, setReader] = useState('');
  const ended = session?.status === 'ended';
  const me = useUser();
  const missing = useMissingNotices(ended ? session : null);
  const [draft, setDraft] = useState<OverrideDraft>(EMPTY_OVERRIDE);
  const override = missing?.length ? overrideInput(draft, me?.officerId ?? null) : null;
  const blocked = Boolean(missing?.length) && override === null;
  return (
    <section className="sign__panel">
      <p>{ended ? t('desk.none') : t('desk.notEnded')}</p>
      {session && missing?.length ? (
        <NoticeOverride
          t={t}
          session={session}
          missing={missing}
          draft={draft}
          onChange={setDraft}
        />
      ) : null}
      {session ? (
        <label className="field">
          <span className="field__label">{t('desk.readAloud')}</span>
          <select
            className="control"
            value={reader}
            data-testid="read-aloud"
            onChange={(e) => {
              setReader(e.target.value);
              // The closing line says what happened: read, or read aloud to them.
              if (text === DEFAULT_CLOSING_STATEMENT || text === READ_ALOUD_CLOSING_STATEMENT)
                setText(e.target.value ? READ_ALOUD_CLOSING_STATEMENT : DEFAULT_CLOSING_STATEMENT);
            }}
          >
            <option value="">{t('desk.readsItself')}</option>
            {session.officers.map((o) => (
              <option key={o.officerId} value={String(o.officerId)}>
                {t('desk.readBy', { name: o.name })}
              </option>
            ))}
          </select>
        </label>
      ) : null}
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
        disabled={!ended || busy || text.trim().length < 2 || blocked || missing === null}
        onClick={() =>
          onOpen(text.trim(), override ?? undefined, reader ? Number(reader) : undefined)
        }
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
  run,
  finished,
  sessionHref,
  refresh,
  refuse,
  myOfficerId,
  sign,
  arm,
  disarm,
  finish,
}: {
  t: SectionT<'signing'>;
  signing: Loaded;
  busy: boolean;
  run: Run;
  finished: SigningFinishedDto | null;
  /** The session's screen, where the record is sealed once signed. */
  sessionHref: string;
  refresh: () => void;
  refuse: (reason: string) => void;
} & Omit<OfficerSigningProps, 'signing' | 't' | 'busy' | 'partyDone'> & {
    finish: () => void;
  }) {
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  // A refusal is of whoever signs now: the form starts empty for the next signer.
  const [formFor, setFormFor] = useState(s.signer);
  if (formFor !== s.signer) {
    setFormFor(s.signer);
    setRefusing(false);
    setReason('');
  }
  const [token, setToken] = useState(() => pageTokens.get(s.signingId));
  const url = token ? partyPageUrl(s.signingId, token) : null;
  const client = useClient();
  const newPage = () =>
    void run(
      () => client.invoke('signing.partyPage', { signingId: s.signingId }),
      (r) => {
        pageTokens.set(s.signingId, r.token);
        setToken(r.token);
      },
    );
  const mark = (done: boolean) => (done ? `✓ ${t('desk.done')}` : t('desk.notDone'));
  const { signer: shown, skip } = shownPart(s);
  // Who may still refuse: whoever the tablet shows, unless they already did.
  const acting = shown.state === 'refused' ? undefined : shown;
  const many = s.signers.length > 1;
  const partyDone = s.step === 'officers' || s.step === 'finish';
  const open = s.state !== 'finished';
  return (
    <>
      <StepsBar t={t} step={s.step} skip={skip} />
      {open ? (
        <section className="sign__panel" aria-labelledby="screen-title">
          <h2 id="screen-title">{t('desk.screen')}</h2>
          {url ? (
            <>
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
            </>
          ) : null}
          <p className="muted">{t('desk.newPageHelp')}</p>
          <button type="button" className="button" disabled={busy} onClick={newPage}>
            {t('desk.newPage')}
          </button>
          <LanTablet t={t} signingId={s.signingId} busy={busy} run={run} />
        </section>
      ) : null}

      <section className="sign__panel" aria-labelledby="progress-title">
        <h2 id="progress-title">
          {t('desk.progress')}（{t('desk.version', { version: s.version })}，
          {t('desk.pagesCount', { count: s.pageCount })}）
        </h2>
        {many ? (
          <>
            <h3>{t('desk.signers')}</h3>
            <ol className="sign__signers" data-testid="signers">
              {s.signers.map((x) => (
                <li key={x.index} data-state={x.state}>
                  {x.role} {x.name}：
                  {t(`desk.signerState.${x.state}`, { reason: x.refusal?.reason ?? '' })}
                </li>
              ))}
            </ol>
          </>
        ) : null}
        <ul className="sign__progress" data-testid="progress">
          {shown.state === 'refused' ? (
            many ? null : (
              <li className="sign__refused">{t('desk.refused', { reason: s.refusal!.reason })}</li>
            )
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
          {s.missing.flatMap((m) =>
            m.code === 'reader' ? (
              <li key={`reader-${m.officerId}`} data-testid="reader-missing">
                {t('desk.readerMissing', {
                  name: s.officers.find((o) => o.officerId === m.officerId)?.name ?? '',
                })}
              </li>
            ) : (
              []
            ),
          )}
        </ul>
      </section>

      {open && s.stale && !s.signers.some((x) => x.refusal) ? (
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

      {open && acting ? (
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
            <button
              type="button"
              className="button"
              onClick={() => setRefusing(true)}
              data-testid="refuse"
            >
              {many
                ? t('desk.refuseBy', { role: acting.role, name: acting.name })
                : t('desk.refuse')}
            </button>
          )}
        </section>
      ) : null}

      {open ? (
        <OfficerSigning
          // A new version starts the officers' signing afresh: nothing typed carries over.
          key={s.version}
          t={t}
          signing={s}
          busy={busy}
          partyDone={partyDone}
          myOfficerId={myOfficerId}
          sign={sign}
          arm={arm}
          disarm={disarm}
        />
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
          <p className="muted">{t('desk.nextHint')}</p>
          <a className="button button--primary" href={sessionHref} data-testid="desk-next-seal">
            {t('desk.next')}
          </a>
        </section>
      )}
    </>
  );
}
