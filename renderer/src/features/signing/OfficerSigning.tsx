/** The officers' signatures, from the desk: at the desk itself or on the signing screen. */
import { useState } from 'react';
import { ApiError } from '@shared/client';
import type { OfficerConfirmation } from '@shared/domain';
import type { HandwritingInput, SigningStatusDto } from '@shared/api/signing';
import type { SectionT } from '../../i18n/section';
import {
  confirmationReady,
  EMPTY_CONFIRMATION,
  OfficerConfirmFields,
} from '../auth/OfficerConfirmFields';
import { errorText } from './common';
import { SignaturePadField } from './SignaturePad';
import { formatTime } from '../../ui/time';

/** Errors of an officer's act worded for the desk (whose signature, whose password). */
export function officerErrorText(t: SectionT<'signing'>, e: unknown): string {
  if (e instanceof ApiError && e.code === 'BAD_CREDENTIALS') return t('errors.BAD_CREDENTIALS');
  if (e instanceof ApiError && e.code === 'FORBIDDEN') return t('errors.notThatOfficer');
  return errorText(t, e);
}

export interface OfficerSigningProps {
  t: SectionT<'signing'>;
  signing: SigningStatusDto;
  busy: boolean;
  partyDone: boolean;
  /** The officer whose account is signed in at the desk (null: an account of no officer). */
  myOfficerId: number | null;
  sign: (
    officerId: number,
    h: HandwritingInput,
    confirmation: OfficerConfirmation | undefined,
  ) => Promise<boolean>;
  arm: (officerId: number, confirmation: OfficerConfirmation | undefined) => Promise<boolean>;
  disarm: () => void;
}

/**
 * Two or more officers sign, each in person (R2.2): at the desk with the pen or mouse, or on
 * the signing screen, which the desk arms for that one officer, once, for two minutes. An
 * officer other than the one signed in confirms with their own username and password.
 */
export function OfficerSigning({
  t,
  signing: s,
  busy,
  partyDone,
  myOfficerId,
  sign,
  arm,
  disarm,
}: OfficerSigningProps) {
  const [chosen, setChosen] = useState<{ officerId: number; where: 'desk' | 'tablet' } | null>(
    null,
  );
  const [confirmation, setConfirmation] = useState<OfficerConfirmation>(EMPTY_CONFIRMATION);
  const who = chosen ? s.officers.find((o) => o.officerId === chosen.officerId && !o.signed) : null;
  const needsConfirm = Boolean(who && who.officerId !== myOfficerId);
  const credentials = needsConfirm ? confirmation : undefined;
  const ready = !needsConfirm || confirmationReady(confirmation);
  const choose = (officerId: number, where: 'desk' | 'tablet') => {
    setChosen({ officerId, where });
    setConfirmation(EMPTY_CONFIRMATION);
  };
  // After an act the typed password never stays on screen: gone on success, and on failure
  // the officer types it again.
  const after = (ok: boolean) => {
    if (ok) setChosen(null);
    setConfirmation((c) => (ok ? EMPTY_CONFIRMATION : { ...c, password: '' }));
  };
  const until = s.armed ? formatTime(s.armed.until) : '';
  return (
    <section className="sign__panel" aria-labelledby="officers-title">
      <h2 id="officers-title">{t('desk.officerSign')}</h2>
      <p>{t('desk.officerHint')}</p>
      {s.armed ? (
        <div className="sign__armed" role="status" data-testid="armed">
          <span>{t('desk.armed', { name: s.armed.name, until })}</span>
          <button type="button" className="button" disabled={busy} onClick={disarm}>
            {t('desk.disarm')}
          </button>
        </div>
      ) : null}
      <ul className="sign__officer-rows">
        {s.officers.map((o) => {
          const off = !partyDone || o.signed || busy;
          const pressed = (where: 'desk' | 'tablet') =>
            chosen?.officerId === o.officerId && chosen.where === where;
          return (
            <li key={o.officerId} data-testid={`officer-${o.officerId}`}>
              <span className="sign__officer-name">
                {o.name}（{o.certificateNo}）
                {o.officerId === myOfficerId ? ` · ${t('desk.you')}` : ''}
                {o.signed ? ` ✓ ${t('desk.done')}` : ''}
              </span>
              <button
                type="button"
                className={`button${pressed('desk') ? ' button--primary' : ''}`}
                disabled={off}
                aria-pressed={pressed('desk')}
                onClick={() => choose(o.officerId, 'desk')}
              >
                {t('desk.signHere')}
              </button>
              <button
                type="button"
                className={`button${pressed('tablet') ? ' button--primary' : ''}`}
                disabled={off}
                aria-pressed={pressed('tablet')}
                onClick={() => choose(o.officerId, 'tablet')}
              >
                {t('desk.signOnTablet')}
              </button>
            </li>
          );
        })}
      </ul>
      {who && chosen && partyDone ? (
        <div className="sign__officer-act">
          {needsConfirm ? (
            <OfficerConfirmFields
              officerName={who.name}
              value={confirmation}
              onChange={setConfirmation}
              testId="officer-confirm"
            />
          ) : null}
          {chosen.where === 'desk' ? (
            <SignaturePadField
              key={`${s.version}:${who.officerId}`}
              testId="desk-pad"
              label={t('desk.officerPad', { name: who.name })}
              aspect={4}
              maxHeight={200}
              busy={busy}
              disabled={!ready}
              onSubmit={async (h) => after(await sign(who.officerId, h, credentials))}
            />
          ) : (
            <button
              type="button"
              className="button button--primary"
              data-testid="arm-officer"
              disabled={busy || !ready}
              onClick={() => void arm(who.officerId, credentials).then(after)}
            >
              {t('desk.arm', { name: who.name })}
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}
