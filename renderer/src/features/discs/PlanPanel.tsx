/**
 * The plan of a disc set: the sealed bundles chosen, how they fall onto discs of the medium
 * (the same planDiscs the core uses), the copies; building the images.
 */
import { useMemo, useState } from 'react';
import type { ListedDiscBundleDto as DiscBundleDto } from '@shared/api/discs';
import { MEDIA, MEDIUM_IDS, SECTOR_BYTES, planDiscs, type MediumId } from '@shared/rules/disc-plan';
import { useClient } from '../../app/ClientContext';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner } from '../../ui/Banner';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { canInvoke } from '../auth/permissions';
import { formatDateTime } from '../../ui/time';
import { useSectionT, type SectionT } from '../../i18n/section';
import { formatBytes } from './formatBytes';

/** Choose bundles, the medium and the copies; see the plan; build the images. */
export function PlanPanel({
  caseId,
  bundles,
  onBuilt,
}: {
  caseId: number;
  bundles: DiscBundleDto[];
  onBuilt: () => void;
}) {
  const t = useSectionT('discs');
  const client = useClient();
  const user = useUser();
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(bundles.map((b) => b.name)));
  const [medium, setMedium] = useState<MediumId>('dvd');
  const [copies, setCopies] = useState('2');
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const copiesN = Math.min(10, Math.max(1, Number.parseInt(copies, 10) || 1));
  const plan = useMemo(
    () =>
      planDiscs(
        bundles.filter((b) => chosen.has(b.name)),
        medium,
        copiesN,
      ),
    [bundles, chosen, medium, copiesN],
  );
  const capacity = MEDIA[medium].sectors * SECTOR_BYTES;

  if (bundles.length === 0) return <p className="panel muted">{t('bundles.none')}</p>;
  const build = async () => {
    setBusy(true);
    setBanner(null);
    try {
      await client.invoke('discs.image', {
        caseId,
        bundles: [...chosen],
        medium,
        copies: copiesN,
        ...(purpose.trim() ? { purpose: purpose.trim() } : {}),
      });
      onBuilt();
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel">
      <h2 className="panel__title">{t('bundles.title')}</h2>
      <div className="table-wrap">
        <table className="table" data-testid="disc-bundles">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{t('bundles.name')}</th>
              <th scope="col">{t('bundles.session')}</th>
              <th scope="col">{t('bundles.recorded')}</th>
              <th scope="col">{t('bundles.size')}</th>
            </tr>
          </thead>
          <tbody>
            {bundles.map((b) => (
              <tr key={b.name}>
                <td>
                  <Checkbox
                    label=""
                    ariaLabel={b.name}
                    checked={chosen.has(b.name)}
                    onChange={(on) =>
                      setChosen((prev) => {
                        const next = new Set(prev);
                        if (on) next.add(b.name);
                        else next.delete(b.name);
                        return next;
                      })
                    }
                  />
                </td>
                <td className="discs__mono">{b.name}</td>
                <td>{b.sessionIdentifier ?? '—'}</td>
                <td>{b.recordingStart ? formatDateTime(b.recordingStart) : '—'}</td>
                <td>
                  {formatBytes(b.bytes)} ·{' '}
                  {t('bundles.files', {
                    count: b.files.length,
                    payload: b.files.filter((f) => f.path.startsWith('data/')).length,
                    tags: b.files.filter((f) => !f.path.startsWith('data/')).length,
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="panel__title">{t('plan.title')}</h2>
      <div className="discs__choices">
        <SelectField
          label={t('plan.medium')}
          value={medium}
          onChange={setMedium}
          options={MEDIUM_IDS.map((m) => ({ value: m, label: MEDIA[m].label }))}
        />
        <TextField
          label={t('plan.copies')}
          value={copies}
          onChange={setCopies}
          inputMode="numeric"
          maxLength={2}
        />
      </div>
      <TextAreaField label={t('plan.purpose')} value={purpose} onChange={setPurpose} rows={2} />
      <PlanView t={t} plan={plan} capacity={capacity} />
      {banner ? <ErrorBanner message={banner} /> : null}
      {canInvoke(user, 'discs.image') ? (
        <button
          type="button"
          className="button button--primary"
          disabled={busy || plan.refused !== null || plan.discs.length === 0}
          onClick={() => void build()}
          data-testid="disc-build"
        >
          {busy ? t('plan.building') : t('plan.build')}
        </button>
      ) : null}
    </div>
  );
}

function PlanView({
  t,
  plan,
  capacity,
}: {
  t: SectionT<'discs'>;
  plan: ReturnType<typeof planDiscs>;
  capacity: number;
}) {
  if (plan.refused) {
    return (
      <p className="discs__refused" role="alert">
        {plan.refused.code === 'file-too-large'
          ? t('plan.refusedLarge', {
              file: `${plan.refused.bundle}/${plan.refused.file}`,
              size: formatBytes(plan.refused.bytes),
            })
          : t('plan.refusedDuplicate', { bundle: plan.refused.bundle })}
      </p>
    );
  }
  if (plan.discs.length === 0) return <p className="muted">{t('plan.nothing')}</p>;
  return (
    <div data-testid="disc-plan">
      <p>
        {t('plan.total', {
          size: formatBytes(plan.totalBytes),
          discs: plan.discs.length,
          copies: plan.copies,
          physical: plan.physicalDiscs,
        })}
      </p>
      <ol className="discs__plan">
        {plan.discs.map((d) => (
          <li key={d.number}>
            <strong>{t('plan.disc', { n: d.number })}</strong>{' '}
            <meter min={0} max={1} value={d.fill} aria-label={t('plan.disc', { n: d.number })} />{' '}
            {t('plan.fill', {
              pct: Math.round(d.fill * 100),
              size: formatBytes(d.sectors * SECTOR_BYTES),
              capacity: formatBytes(capacity),
            })}
            <ul>
              {d.bundles.map((b) => (
                <li key={b.name} className="discs__mono">
                  {b.name}
                  {b.part ? t('plan.part', { n: b.part.number, of: b.part.of }) : ''} ·{' '}
                  {formatBytes(b.bytes)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {plan.warnings.map((w) =>
        w.code === 'bundle-split' ? (
          <p key={w.bundle} className="discs__warning" role="note">
            {t('plan.split', { bundle: w.bundle, discs: w.discs.join('、') })}
          </p>
        ) : null,
      )}
    </div>
  );
}
