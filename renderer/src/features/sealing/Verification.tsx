/**
 * A sealed bundle's verification on the seal panel: the last report (who ran it, when, each
 * check and the full text) and "核验" to run it again.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ListedBundleDto as BundleDto,
  type BundleVerificationDto,
  VERIFY_CHECK_IDS,
} from '@shared/api/sealing';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { ErrorBanner } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { useSectionT } from '../../i18n/section';

const CHECKS = VERIFY_CHECK_IDS;

export function Verification({ bundle }: { bundle: BundleDto }) {
  const t = useSectionT('sealing');
  const client = useClient();
  const load = useCallback(
    () => client.invoke('bundles.verification', { bundleId: bundle.id }),
    [client, bundle.id],
  );
  const last = useResource(load);
  const [running, setRunning] = useState(false);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const [fresh, setFresh] = useState<BundleVerificationDto | null>(null);
  useCoreEvent('bundle.changed', (e) => {
    if (e.bundleId === bundle.id) last.reload();
  });
  const verify = async () => {
    setRunning(true);
    setBanner(null);
    try {
      setFresh(await client.invoke('bundles.verify', { bundleId: bundle.id }));
      last.reload();
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setRunning(false);
    }
  };
  const v = fresh && (!last.data || fresh.at >= last.data.at) ? fresh : last.data;
  return (
    <section className="seal__section" aria-labelledby="verify-title">
      <div className="panel__bar">
        <h3 id="verify-title" className="seal__subtitle">
          {t('verify.action')}
        </h3>
        <button
          type="button"
          className="button button--small"
          data-testid="verify-button"
          disabled={running}
          onClick={() => void verify()}
        >
          {running ? t('verify.running') : v ? t('verify.again') : t('verify.action')}
        </button>
      </div>
      {banner ? <ErrorBanner message={banner} /> : null}
      {!v ? <p className="muted">{t('verify.never')}</p> : <VerificationReport v={v} />}
    </section>
  );
}

function VerificationReport({ v }: { v: BundleVerificationDto }) {
  const t = useSectionT('sealing');
  const { i18n } = useTranslation();
  return (
    <div data-testid="verify-result">
      <p
        className={`seal__result seal__result--${v.ok ? 'pass' : 'fail'}`}
        role="status"
        data-testid="verify-verdict"
      >
        <strong>{v.ok ? t('verify.pass') : t('verify.fail')}</strong>
        <span className="muted">
          {' '}
          <DateTime ms={v.at} />
          {v.by ? ` · ${v.by}` : ''}
        </span>
      </p>
      {!v.recordedHashMatches ? <p className="seal__problem">{t('verify.recordedHash')}</p> : null}
      <ul className="seal__checks" aria-label={t('verify.checksTitle')}>
        {CHECKS.map((c) => (
          <li key={c} className={`seal__check seal__check--${v.report.checks[c]}`}>
            <span className="seal__check-name">{t(`verify.checks.${c}`)}</span>
            <span className="seal__check-status">{t(`verify.status.${v.report.checks[c]}`)}</span>
          </li>
        ))}
      </ul>
      <details className="seal__report" open={!v.ok}>
        <summary>{t('verify.fullReport')}</summary>
        <pre data-testid="verify-report">{v.text[i18n.language === 'en' ? 'en' : 'zh-CN']}</pre>
      </details>
    </div>
  );
}
