/**
 * 音像记录事项清单 (R3.2, R6.5): which kinds of record, in which kinds of case, are recorded
 * whole or recorded; edited by an administrator or the legal-affairs office, kept in versions.
 */
import { useCallback, useState } from 'react';
import type { AvListEntry, AvRequirement } from '@shared/rules/av-list';
import { MATTER_KINDS, type MatterKind, type SessionKind } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useSectionT } from '../../i18n/section';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { formatDateTime } from '../../ui/time';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';

export function AvListPanel() {
  const t = useSectionT('settings');
  const client = useClient();
  const user = useUser();
  const load = useCallback(() => client.invoke('avList.get', {}), [client]);
  const list = useResource(load);
  useCoreEvent('avList.changed', () => list.reload());
  return (
    <section className="panel" aria-labelledby="av-list" data-testid="av-list">
      <h2 id="av-list" className="panel__title">
        {t('avList.title')}
      </h2>
      <p className="muted">{t('avList.intro')}</p>
      {!list.data ? (
        <LoadState error={list.error} onRetry={list.reload} />
      ) : (
        <ListEditor
          key={list.data.version}
          entries={list.data.entries}
          version={
            list.data.version
              ? t('avList.version', {
                  version: list.data.version,
                  by: list.data.setBy ?? '—',
                  at: list.data.setAt ? formatDateTime(list.data.setAt, false) : '',
                })
              : t('avList.defaults')
          }
          editable={canInvoke(user, 'avList.save')}
        />
      )}
    </section>
  );
}

function ListEditor({
  entries: initial,
  version,
  editable,
}: {
  entries: AvListEntry[];
  version: string;
  editable: boolean;
}) {
  const t = useSectionT('settings');
  const client = useClient();
  const label = useEnumLabel();
  const kinds = useEnumOptions('sessionKind');
  const matters = [
    { value: 'any' as const, label: t('avList.any') },
    ...MATTER_KINDS.map((m) => ({ value: m, label: label('matterKind', m) })),
  ];
  const requirements = [
    { value: 'whole' as const, label: t('avList.whole') },
    { value: 'record' as const, label: t('avList.record') },
  ];
  const [entries, setEntries] = useState(initial);
  const [note, setNote] = useState('');
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const change = (i: number, patch: Partial<AvListEntry>) =>
    setEntries((xs) => xs.map((x, n) => (n === i ? { ...x, ...patch } : x)));
  return (
    <div className="form">
      <p data-testid="av-list-version">{version}</p>
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('avList.session')}</th>
              <th scope="col">{t('avList.matter')}</th>
              <th scope="col">{t('avList.requirement')}</th>
              {editable ? <th scope="col" /> : null}
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) =>
              editable ? (
                <tr key={i}>
                  <td>
                    <SelectField
                      label={t('avList.session')}
                      value={e.session}
                      options={kinds}
                      onChange={(session: SessionKind) => change(i, { session })}
                    />
                  </td>
                  <td>
                    <SelectField
                      label={t('avList.matter')}
                      value={e.matter}
                      options={matters}
                      onChange={(matter: MatterKind | 'any') => change(i, { matter })}
                    />
                  </td>
                  <td>
                    <SelectField
                      label={t('avList.requirement')}
                      value={e.requirement}
                      options={requirements}
                      onChange={(requirement: AvRequirement) => change(i, { requirement })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => setEntries((xs) => xs.filter((_, n) => n !== i))}
                    >
                      {t('avList.remove')}
                    </button>
                  </td>
                </tr>
              ) : (
                <tr key={i}>
                  <td>{label('sessionKind', e.session)}</td>
                  <td>{e.matter === 'any' ? t('avList.any') : label('matterKind', e.matter)}</td>
                  <td>{t(e.requirement === 'whole' ? 'avList.whole' : 'avList.record')}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {editable ? (
        <>
          <button
            type="button"
            className="button"
            onClick={() =>
              setEntries((xs) => [
                ...xs,
                { session: 'interview', matter: 'any', requirement: 'record' },
              ])
            }
          >
            {t('avList.add')}
          </button>
          <TextField label={t('avList.note')} value={note} onChange={setNote} />
          <button
            type="button"
            className="button button--primary"
            onClick={() => {
              setBanner(null);
              client.invoke('avList.save', { entries, ...(note ? { note } : {}) }).then(
                (l) => setNotice(t('avList.saved', { version: l.version })),
                (err: unknown) => setBanner(formFailure(err).banner),
              );
            }}
          >
            {t('avList.save')}
          </button>
        </>
      ) : null}
    </div>
  );
}
