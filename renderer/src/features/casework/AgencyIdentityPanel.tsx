/** 机关名称与电子印章: what issued documents print and the seal they carry (administrators set it). */
import { useCallback, useState } from 'react';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { TextField } from '../../ui/Field';
import { useCall } from '../../ui/useCall';
import { fileToBase64 } from './common';

export function AgencyIdentityPanel({ admin }: { admin: boolean }) {
  const t = useSectionT('casework');
  const client = useClient();
  const load = useCallback(() => client.invoke('documents.identity', {}), [client]);
  const identity = useResource(load);
  const [name, setName] = useState<string | null>(null);
  const [shortName, setShortName] = useState<string | null>(null);
  const [seal, setSeal] = useState<string | null>(null);
  const { banner, run } = useCall();
  const [notice, setNotice] = useState<string | null>(null);
  // What is typed, else what is set.
  const nameShown = name ?? identity.data?.name ?? '';
  const shortShown = shortName ?? identity.data?.shortName ?? '';
  const shown = seal ?? identity.data?.seal ?? null;
  return (
    <section className="panel" aria-labelledby="agency-identity" data-testid="agency-identity">
      <h2 id="agency-identity" className="panel__title">
        {t('identity.title')}
      </h2>
      <p className="muted">{t('identity.intro')}</p>
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      {shown ? (
        <img
          src={`data:image/png;base64,${shown}`}
          alt={t('identity.seal')}
          width={120}
          height={120}
        />
      ) : (
        <p className="muted">{t('identity.noSeal')}</p>
      )}
      {admin ? (
        <div className="form">
          <TextField label={t('identity.name')} value={nameShown} onChange={setName} required />
          <TextField
            label={t('identity.shortName')}
            value={shortShown}
            onChange={setShortName}
            required
          />
          <label>
            {t('identity.seal')}{' '}
            <input
              type="file"
              accept="image/png"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                void fileToBase64(file).then(setSeal);
              }}
            />
          </label>
          <button
            type="button"
            className="button button--primary"
            onClick={() =>
              void run(
                () =>
                  client.invoke('documents.setIdentity', {
                    name: nameShown,
                    shortName: shortShown,
                    ...(seal ? { seal } : {}),
                  }),
                () => {
                  setNotice(t('identity.saved'));
                  setSeal(null);
                  identity.reload();
                },
              )
            }
          >
            {t('identity.save')}
          </button>
        </div>
      ) : (
        <p>
          {identity.data?.name ?? '—'}（{identity.data?.shortName ?? '—'}）
        </p>
      )}
    </section>
  );
}
