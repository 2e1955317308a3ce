import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MatterKind, Phase } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { useCoreEvent, useResource } from '../../app/coreHooks';
import { useUser } from '../auth/AuthContext';
import { DateTime } from '../../ui/DateTime';
import { useEnumLabel, useEnumOptions } from '../../ui/enumLabels';
import { SelectField, TextField } from '../../ui/Field';
import { LoadState } from '../../ui/LoadState';
import { canInvoke } from '../auth/permissions';
import { routeHref } from '../../app/route';
import { useDebounced } from '../../ui/useDebounced';

/** 案件列表: search by case number, cause or party; filter by phase and matter kind. */
export function CaseListScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const user = useUser();
  const label = useEnumLabel();
  const [query, setQuery] = useState('');
  const [phase, setPhase] = useState<Phase | ''>('');
  const [matterKind, setMatterKind] = useState<MatterKind | ''>('');
  const search = useDebounced(query.trim(), 250);

  const load = useCallback(
    () =>
      client.invoke('cases.list', {
        ...(search ? { query: search } : {}),
        ...(phase ? { phase } : {}),
        ...(matterKind ? { matterKind } : {}),
        limit: 200,
      }),
    [client, search, phase, matterKind],
  );
  const list = useResource(load, { keepStale: true });
  // Another workstation or dialog changed a case: the list follows.
  useCoreEvent('case.changed', list.reload);

  const all = { value: '' as const, label: t('common.all') };
  const phaseOptions = [all, ...useEnumOptions('phase')];
  const matterOptions = [all, ...useEnumOptions('matterKind')];

  return (
    <section className="screen" aria-labelledby="cases-title">
      <div className="screen__head">
        <h1 id="cases-title">{t('cases.title')}</h1>
        {canInvoke(user, 'cases.create') ? (
          <a className="button button--primary" href={routeHref({ name: 'newCase' })}>
            {t('cases.new')}
          </a>
        ) : null}
      </div>

      <form
        className="filters"
        role="search"
        aria-label={t('cases.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <TextField
          label={t('cases.query')}
          type="search"
          value={query}
          onChange={setQuery}
          placeholder={t('cases.queryPlaceholder')}
          maxLength={100}
        />
        <SelectField
          label={t('cases.phase')}
          value={phase}
          onChange={(v) => setPhase(v)}
          options={phaseOptions}
        />
        <SelectField
          label={t('cases.matterKind')}
          value={matterKind}
          onChange={(v) => setMatterKind(v)}
          options={matterOptions}
        />
      </form>

      {list.data && list.error ? <LoadState error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <>
          <p className="muted" aria-live="polite" data-testid="case-total">
            {t('cases.total', { count: list.data.total })}
          </p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('cases.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cases.col.caseNo')}</th>
                  <th scope="col">{t('cases.col.cause')}</th>
                  <th scope="col">{t('cases.col.matterKind')}</th>
                  <th scope="col">{t('cases.col.origin')}</th>
                  <th scope="col">{t('cases.col.phase')}</th>
                  <th scope="col">{t('cases.col.parties')}</th>
                  <th scope="col" className="num">
                    {t('cases.col.sessions')}
                  </th>
                  <th scope="col">{t('cases.col.updatedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <a href={routeHref({ name: 'case', id: c.id, tab: 'overview' })}>
                        {c.caseNo}
                      </a>
                    </th>
                    <td className="clip">{c.cause}</td>
                    <td>{label('matterKind', c.matterKind)}</td>
                    <td>{label('originKind', c.originKind)}</td>
                    <td>
                      <span className={`badge badge--${c.phase}`}>{label('phase', c.phase)}</span>
                    </td>
                    <td className="clip">{c.partyNames.join('、') || t('common.none')}</td>
                    <td className="num">{c.sessionCount}</td>
                    <td>
                      <DateTime ms={c.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.items.length === 0 ? <p className="empty">{t('cases.empty')}</p> : null}
        </>
      ) : (
        <LoadState error={list.error} onRetry={list.reload} />
      )}
    </section>
  );
}
