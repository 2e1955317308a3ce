/**
 * The disc sets of a case: burn each copy (or save the image where no drive exists) with the
 * read-back shown as it runs, the discs made and their results, the label sheet.
 */
import { useCallback, useState } from 'react';
import type { DiscDto, DiscSetDto, DriveDto } from '@shared/api/discs';
import { MEDIA } from '@shared/rules/disc-plan';
import { useClient } from '../../app/ClientContext';
import { useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { SelectField, TextField } from '../../ui/Field';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { canInvoke } from '../auth/permissions';
import { formatDateTime } from '../../ui/time';
import { useSectionT } from '../../i18n/section';
import { formatBytes } from './formatBytes';
import { PdfLink, usePdf } from './PdfLink';

/** The disc sets built for the case: burn or save each copy, verify, print labels. */
export function SetsPanel({ sets, onChanged }: { sets: DiscSetDto[]; onChanged: () => void }) {
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
          at: formatDateTime(set.createdAt),
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
                  <td>{formatDateTime(d.madeAt)}</td>
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
        className="button"
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
