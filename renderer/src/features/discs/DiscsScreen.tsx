/**
 * 证据光盘与案卷目录: the clerk's view of a case (R5.1, R5.2). Choose sealed
 * bundles, see their size against the medium and how they fall onto discs (the same
 * planDiscs the core uses), the copies; build the images, then burn each copy (or save the
 * image where no drive exists) with the read-back shown as it runs; the discs made and
 * their results; the label sheet; the case file index with its filing deadline.
 */
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CaseFileIndexDto,
  type DiscBundleDto,
  type DiscDto,
  type DiscProgressEvent,
  type DiscSetDto,
  type DriveDto,
  type PdfDto,
} from '@shared/api/discs';
import { MEDIA, MEDIUM_IDS, SECTOR_BYTES, planDiscs, type MediumId } from '@shared/rules/disc-plan';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { canInvoke } from '../auth/permissions';
import { routeHref } from '../../app/route';
import { formatDateTime } from '../../ui/time';
import { useSectionT, type SectionT } from '../../i18n/section';
import './discs.css';

/** Bytes for people: decimal units, as disc capacities are sold. */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${n} B`;
}

export function DiscsScreen({ caseId }: { caseId: number }) {
  const t = useSectionT('discs');
  const client = useClient();
  const loadBundles = useCallback(
    () => client.invoke('discs.bundles', { caseId }),
    [client, caseId],
  );
  const loadSets = useCallback(() => client.invoke('discs.list', { caseId }), [client, caseId]);
  const bundles = useResource(loadBundles);
  const sets = useResource(loadSets, { keepStale: true });
  const [progress, setProgress] = useState<DiscProgressEvent | null>(null);
  useCoreEvent('disc.progress', (e) =>
    setProgress(e.fraction === 1 && e.step === 'verify' ? null : e),
  );
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === caseId) sets.reload();
  });

  return (
    <section className="screen discs" aria-labelledby="discs-title">
      <a className="back-link" href={routeHref({ name: 'case', id: caseId, tab: 'overview' })}>
        ‹ {t('back')}
      </a>
      <h1 id="discs-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <ProgressLine t={t} progress={progress} />
      {bundles.data ? (
        <PlanPanel caseId={caseId} bundles={bundles.data} onBuilt={() => sets.reload()} />
      ) : (
        <LoadState error={bundles.error} onRetry={bundles.reload} />
      )}
      {sets.data ? (
        <SetsPanel sets={sets.data} onChanged={() => sets.reload()} />
      ) : (
        <LoadState error={sets.error} onRetry={sets.reload} />
      )}
      <CaseFilePanel caseId={caseId} />
    </section>
  );
}

function ProgressLine({
  t,
  progress,
}: {
  t: SectionT<'discs'>;
  progress: DiscProgressEvent | null;
}) {
  if (!progress) return null;
  const label = t(`progress.${progress.step}`, { n: progress.discNumber });
  return (
    <div className="discs__progress" role="status" data-testid="disc-progress">
      <span>{label}</span>
      {progress.fraction === null ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} max={1} value={progress.fraction} />
      )}
      <span>
        {progress.fraction === null
          ? t('progress.running')
          : `${Math.round(progress.fraction * 100)}%`}
      </span>
    </div>
  );
}

function PlanPanel({
  caseId,
  bundles,
  onBuilt,
}: {
  caseId: number;
  bundles: DiscBundleDto[];
  onBuilt: () => void;
}) {
  const t = useSectionT('discs');
  const { i18n } = useTranslation();
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
                <td>{b.recordingStart ? formatDateTime(b.recordingStart, i18n.language) : '—'}</td>
                <td>
                  {formatBytes(b.bytes)} · {t('bundles.files', { count: b.files.length })}
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

function usePdf(): [PdfDto | null, (p: PdfDto) => void, string | null] {
  const [pdf, setPdf] = useState<PdfDto | null>(null);
  const href = useMemo(() => {
    if (!pdf) return null;
    const bytes = Uint8Array.from(atob(pdf.data), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  }, [pdf]);
  return [pdf, setPdf, href];
}

function PdfLink({
  t,
  pdf,
  href,
}: {
  t: SectionT<'discs'>;
  pdf: PdfDto | null;
  href: string | null;
}) {
  if (!pdf || !href) return null;
  return (
    <p className="discs__pdf">
      {t('pdfReady', { file: pdf.fileName, path: pdf.savedAt ?? '—' })}{' '}
      <a href={href} download={pdf.fileName}>
        {t('download')}
      </a>
    </p>
  );
}

function SetsPanel({ sets, onChanged }: { sets: DiscSetDto[]; onChanged: () => void }) {
  const t = useSectionT('discs');
  const client = useClient();
  const user = useUser();
  const loadDrives = useCallback(
    () =>
      canInvoke(user, 'drives.list')
        ? client.invoke('drives.list', {}).catch(() => [] as DriveDto[])
        : Promise.resolve([] as DriveDto[]),
    [client, user],
  );
  const drives = useResource(loadDrives);
  return (
    <div className="panel" data-testid="disc-sets">
      <h2 className="panel__title">{t('sets.title')}</h2>
      {sets.length === 0 ? <p className="muted">{t('sets.none')}</p> : null}
      {sets
        .slice()
        .reverse()
        .map((s) => (
          <SetView key={s.id} set={s} drives={drives.data ?? []} onChanged={onChanged} />
        ))}
    </div>
  );
}

function SetView({
  set,
  drives,
  onChanged,
}: {
  set: DiscSetDto;
  drives: DriveDto[];
  onChanged: () => void;
}) {
  const t = useSectionT('discs');
  const { i18n } = useTranslation();
  const client = useClient();
  const user = useUser();
  const writers = drives.filter((d) => d.writer);
  const [drive, setDrive] = useState<string>(writers[0]?.id ?? '');
  const [saveTo, setSaveTo] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pdf, setPdf, href] = usePdf();
  const canBurn = canInvoke(user, 'discs.burn');

  const run = async (key: string, f: () => Promise<unknown>) => {
    setBusy(key);
    setBanner(null);
    setNotice(null);
    try {
      const r = await f();
      if (r && typeof r === 'object' && 'result' in r) {
        const d = r as DiscDto;
        setNotice(`${d.serial}: ${t(`result.${d.result}`)}`);
      }
      onChanged();
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setBusy(null);
    }
  };

  return (
    <article className="discs__set" data-testid="disc-set" data-set={set.setNo}>
      <h3>
        {t('sets.set', {
          setNo: set.setNo,
          medium: MEDIA[set.medium].label,
          copies: set.copies,
          by: set.createdBy,
          at: formatDateTime(set.createdAt, i18n.language),
        })}
      </h3>
      {canBurn ? (
        writers.length > 0 ? (
          <SelectField
            label={t('sets.drive')}
            value={drive}
            onChange={setDrive}
            options={writers.map((d) => ({
              value: d.id,
              label: `${d.path} · ${d.vendor} ${d.product}`,
            }))}
          />
        ) : (
          <>
            <p className="muted">{t('sets.noDrive')}</p>
            <TextField label={t('sets.saveTo')} value={saveTo} onChange={setSaveTo} />
          </>
        )
      ) : null}
      {set.images.map((im) => (
        <div key={im.discNumber} className="discs__image">
          <p>
            {t('sets.image', {
              n: im.discNumber,
              size: formatBytes(im.bytes),
              volume: im.volumeId,
            })}
          </p>
          {canBurn ? (
            <div className="discs__copies">
              {Array.from({ length: set.copies }, (_, k) => k + 1).map((copy) => {
                const key = `${im.discNumber}-${copy}`;
                return (
                  <button
                    key={copy}
                    type="button"
                    className="button"
                    disabled={busy !== null}
                    data-testid={`disc-burn-${key}`}
                    onClick={() =>
                      void run(key, () =>
                        client.invoke('discs.burn', {
                          setId: set.id,
                          discNumber: im.discNumber,
                          copyNumber: copy,
                          ...(writers.length > 0 && drive
                            ? { drive }
                            : saveTo.trim()
                              ? { saveTo: saveTo.trim() }
                              : {}),
                        }),
                      )
                    }
                  >
                    {t('sets.copy', { n: copy })}:{' '}
                    {writers.length > 0 ? t('sets.burn') : t('sets.save')}
                  </button>
                );
              })}
            </div>
          ) : null}
        </div>
      ))}
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      {set.discs.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="disc-results">
            <thead>
              <tr>
                <th scope="col">{t('sets.serial')}</th>
                <th scope="col">{t('sets.result')}</th>
                <th scope="col">{t('sets.madeBy')}</th>
                <th scope="col">{t('sets.madeAt')}</th>
                <th scope="col">{t('sets.where')}</th>
                <th scope="col">{t('sets.problems')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {set.discs.map((d) => (
                <tr key={d.id} data-result={d.result}>
                  <td className="discs__mono">{d.serial}</td>
                  <td>
                    <span className={`discs__result discs__result--${d.result}`}>
                      {t(`result.${d.result}`)}
                    </span>
                  </td>
                  <td>{d.madeBy}</td>
                  <td>{formatDateTime(d.madeAt, i18n.language)}</td>
                  <td className="discs__mono">{d.imagePath ?? d.drive}</td>
                  <td>
                    {d.problems.slice(0, 5).map((p, i) => (
                      <div key={i} className="discs__mono">
                        {p.code} {p.file ?? ''}
                      </div>
                    ))}
                  </td>
                  <td>
                    {canInvoke(user, 'discs.verify') ? (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busy !== null}
                        onClick={() =>
                          void run(`v${d.id}`, () =>
                            client.invoke('discs.verify', { discId: d.id }),
                          )
                        }
                      >
                        {t('sets.reverify')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <button
        type="button"
        className="button button--ghost"
        disabled={busy !== null}
        onClick={() =>
          void run('labels', async () =>
            setPdf(await client.invoke('discs.labels', { setId: set.id })),
          )
        }
        data-testid="disc-labels"
      >
        {t('sets.labels')}
      </button>
      <PdfLink t={t} pdf={pdf} href={href} />
    </article>
  );
}

function CaseFilePanel({ caseId }: { caseId: number }) {
  const t = useSectionT('discs');
  const { i18n } = useTranslation();
  const client = useClient();
  const load = useCallback(() => client.invoke('caseFile.index', { caseId }), [client, caseId]);
  const index = useResource(load, { keepStale: true });
  useCoreEvent('case.changed', (e) => {
    if (e.caseId === caseId) index.reload();
  });
  const [pdf, setPdf, href] = usePdf();
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  if (!index.data) return <LoadState error={index.error} onRetry={index.reload} />;
  const idx: CaseFileIndexDto = index.data;
  const date = idx.deadline ? formatDateTime(idx.deadline, i18n.language) : '';
  return (
    <div className="panel" data-testid="case-file-index">
      <h2 className="panel__title">{t('caseFile.title')}</h2>
      {idx.deadlineStatus === 'running' ? (
        <p className="muted">{t('caseFile.running', { days: idx.filingDays })}</p>
      ) : idx.deadlineStatus === 'ok' ? (
        <p>{t('caseFile.deadline', { date, days: idx.filingDays })}</p>
      ) : (
        <p
          className={`discs__deadline discs__deadline--${idx.deadlineStatus}`}
          role="alert"
          data-testid="filing-deadline"
        >
          {t(idx.deadlineStatus === 'warn' ? 'caseFile.warn' : 'caseFile.overdue', { date })}
        </p>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('caseFile.at')}</th>
              <th scope="col">{t('caseFile.kind')}</th>
              <th scope="col">{t('caseFile.entry')}</th>
              <th scope="col">{t('caseFile.detail')}</th>
              <th scope="col">{t('caseFile.location')}</th>
            </tr>
          </thead>
          <tbody>
            {idx.entries.map((e, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>{e.at ? formatDateTime(e.at, i18n.language) : '—'}</td>
                <td>{t(`caseFile.kinds.${e.kind}`)}</td>
                <td>{e.title}</td>
                <td>{e.detail}</td>
                <td className="discs__mono">{e.location ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {banner ? <ErrorBanner message={banner} /> : null}
      <button
        type="button"
        className="button button--ghost"
        onClick={() =>
          void client
            .invoke('caseFile.pdf', { caseId })
            .then(setPdf, (e: unknown) => setBanner(formFailure(e).banner))
        }
      >
        {t('caseFile.pdf')}
      </button>
      <PdfLink t={t} pdf={pdf} href={href} />
    </div>
  );
}
