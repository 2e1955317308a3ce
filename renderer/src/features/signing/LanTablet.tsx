/** Pairing a tablet on the LAN as the party's signing screen, from the desk. */
import { useState } from 'react';
import { ApiError } from '@shared/client';
import type { LanPairingDto } from '@shared/api/signing';
import { useClient } from '../../app/ClientContext';
import type { SectionT } from '../../i18n/section';
import { errorText, type Run } from './common';
import { formatTime } from '../../ui/time';

/** A LAN tablet refused as not offered here says so; other errors as usual. */
function lanErrorText(t: SectionT<'signing'>, e: unknown): string {
  return e instanceof ApiError && e.code === 'CONFLICT' ? t('desk.lan.off') : errorText(t, e);
}

/**
 * A tablet on the LAN instead of the pen display: the workstation serves the
 * signing page over HTTPS; the tablet opens the address, its user checks the certificate
 * fingerprint against this screen, and types the code (once, for five minutes).
 */
export function LanTablet({
  t,
  signingId,
  busy,
  run,
}: {
  t: SectionT<'signing'>;
  signingId: number;
  busy: boolean;
  run: Run;
}) {
  const client = useClient();
  const [pairing, setPairing] = useState<LanPairingDto | null>(null);
  return (
    <div className="sign__lan" data-testid="lan-tablet">
      <h3>{t('desk.lan.title')}</h3>
      {pairing ? (
        <dl className="sign__lan-pairing" data-testid="lan-pairing">
          <dt>{t('desk.lan.url')}</dt>
          <dd className="sign__url" data-testid="lan-url">
            {pairing.url}
          </dd>
          <dt>{t('desk.lan.code')}</dt>
          <dd className="sign__lan-code" data-testid="lan-code">
            {pairing.code}
          </dd>
          <dt>{t('desk.lan.fingerprint')}</dt>
          <dd className="sign__hash" data-testid="lan-fingerprint">
            {pairing.fingerprint}
          </dd>
          <dt>{t('desk.lan.until')}</dt>
          <dd>{formatTime(pairing.expiresAt)}</dd>
        </dl>
      ) : (
        <p>{t('desk.lan.help')}</p>
      )}
      <p className="sign__lan-actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() =>
            void run(
              () => client.invoke('signing.lanPair', { signingId }),
              setPairing,
              lanErrorText,
            )
          }
        >
          {pairing ? t('desk.lan.again') : t('desk.lan.pair')}
        </button>
        {pairing ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() =>
              void run(
                () => client.invoke('signing.lanUnpair', { signingId }),
                () => setPairing(null),
                lanErrorText,
              )
            }
          >
            {t('desk.lan.unpair')}
          </button>
        ) : null}
      </p>
    </div>
  );
}
