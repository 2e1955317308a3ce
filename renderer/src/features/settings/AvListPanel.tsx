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
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField } from '../../ui/Field';
import { useUser } from '../auth/AuthContext';
import { canInvoke } from '../auth/permissions';
import { SaveVersion, useVersionLine, VersionedPanel } from './VersionedList';

export function AvListPanel() {
  const t = useSectionT('settings');
  const client = useClient();
  const user = useUser();
  const versionLine = useVersionLine('avList');
  const load = useCallback(() => client.invoke('avList.get', {}), [client]);
  const list = useResource(load);
  useCoreEvent('avList.changed', () => list.reload());
  return (
    <VersionedPanel
      id="av-list"
      title={t('avList.title')}
      intro={t('avList.intro')}
      data={list.data}
      error={list.error}
      onRetry={list.reload}
    >
      {(l) => (
        <ListEditor
          key={l.version}
          entries={l.entries}
          version={versionLine(l)}
          editable={canInvoke(user, 'avList.save')}
        />
      )}
    </VersionedPanel>
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
  const change = (i: number, patch: Partial<AvListEntry>) =>
    setEntries((xs) => xs.map((x, n) => (n === i ? { ...x, ...patch } : x)));
  return (
    <div className="form">
      <p data-testid="av-list-version">{version}</p>
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
          <SaveVersion
            section="avList"
            save={(note) => client.invoke('avList.save', { entries, ...(note ? { note } : {}) })}
          />
        </>
      ) : null}
    </div>
  );
}
