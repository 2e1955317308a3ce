/**
 * 审计日志: the hash-chained audit trail for the legal-affairs office and administrators,
 * filtered by case, person, kind of act and dates, newest first, a page at a time; the
 * chain's check (the first broken entry named); every entry linked to what it is about; the
 * filtered trail exported as CSV. The core checks the roles on every call.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '@shared/api';
import type { AuditPageDto } from '@shared/api/audit';
import { AUDIT_KINDS, atSigningSurface, type AuditKind } from '@shared/audit-actions';
import type { AuditEventDto } from '@shared/domain';
import { useClient } from '../../app/ClientContext';
import { routeHref, type Route } from '../../app/route';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { SelectField, TextField } from '../../ui/Field';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { fromDateInput } from '../../ui/time';
import { useSectionT } from '../../i18n/section';
import { actionName, entityName, kindName } from './names';
import './audit.css';

const PAGE = 100;

/** What the viewer asks the core for (the filter part of `audit.search`). */
type Filter = Omit<MethodInput<'audit.search'>, 'limit' | 'before'>;

interface Draft {
  caseNo: string;
  person: string;
  kind: AuditKind | '';
  from: string;
  to: string;
}
const EMPTY: Draft = { caseNo: '', person: '', kind: '', from: '', to: '' };

/** Where an entry's subject is shown in the app, when it is shown anywhere. */
function subjectRoute(e: AuditEventDto): Route | null {
  switch (e.entity) {
    case 'session':
      return e.caseId !== null && e.entityId !== null
        ? { name: 'session', caseId: e.caseId, sessionId: e.entityId }
        : null;
    case 'disc':
    case 'disc_set':
      return e.caseId !== null ? { name: 'discs', caseId: e.caseId } : null;
    case 'device':
      return { name: 'devices' };
    case 'officer':
      return { name: 'officers' };
    case 'user':
      return { name: 'users' };
    case 'storage_target':
      return { name: 'storage' };
    case 'trust':
    case 'trust_register':
      return { name: 'trust' };
    case 'app':
      return { name: 'settings' };
    case 'access_request':
      return { name: 'access' };
    case 'copy_request':
    case 'bundle':
      return e.caseId !== null ? { name: 'case', id: e.caseId, tab: 'access' } : null;
    default:
      return e.caseId !== null ? { name: 'case', id: e.caseId, tab: 'overview' } : null;
  }
}

export function AuditScreen() {
  const t = useSectionT('auditViewer');
  const { i18n } = useTranslation();
  const client = useClient();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [people, setPeople] = useState<{ id: number; displayName: string }[]>([]);
  const [page, setPage] = useState<AuditPageDto | null>(null);
  const [applied, setApplied] = useState<Filter>({});
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [chain, setChain] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setDraft((d) => ({ ...d, [k]: v }));

  useEffect(() => {
    void client.invoke('audit.people', {}).then(setPeople, () => setPeople([]));
  }, [client]);

  /** The filter as the core takes it, from the fields as they are now. */
  const drafted = (): Filter => {
    const from = draft.from ? fromDateInput(draft.from) : undefined;
    const to = draft.to ? fromDateInput(draft.to, true) : undefined;
    return {
      ...(draft.caseNo.trim() ? { caseNo: draft.caseNo.trim() } : {}),
      ...(draft.person ? { actorUserId: Number(draft.person) } : {}),
      ...(draft.kind ? { kind: draft.kind } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to: to - 1 } : {}),
    };
  };

  /**
   * 查询 takes the fields as they are; 加载更多, the CSV and the report keep to the filter of
   * the page shown (`applied`), whatever has been typed since.
   */
  const search = async (more: boolean) => {
    setBanner(null);
    setNotice(null);
    const f = more ? applied : drafted();
    try {
      const next = await client.invoke('audit.search', {
        ...f,
        limit: PAGE,
        ...(more && page?.next ? { before: page.next } : {}),
      });
      setApplied(f);
      setPage(
        more && page
          ? {
              ...next,
              entries: [...page.entries, ...next.entries],
              caseNos: { ...page.caseNos, ...next.caseNos },
            }
          : next,
      );
    } catch (e) {
      setBanner(formFailure(e).banner);
    }
  };

  // The newest page on opening; later pages and filters on request.
  useEffect(() => {
    let live = true;
    client.invoke('audit.search', { limit: PAGE }).then(
      (p) => live && setPage(p),
      (e: unknown) => live && setBanner(formFailure(e).banner),
    );
    return () => {
      live = false;
    };
  }, [client]);

  const exportCsv = async () => {
    setBanner(null);
    try {
      const r = await client.invoke('audit.csv', applied);
      save(r.fileName, new Blob([r.csv], { type: 'text/csv;charset=utf-8' }));
      setNotice(
        t(r.truncated ? 'filter.truncated' : 'filter.exported', { rows: r.rows, file: r.fileName }),
      );
    } catch (e) {
      setBanner(formFailure(e).banner);
    }
  };

  /** Saves a file the core made (base64 or text) under its name. */
  const save = (name: string, blob: Blob) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
  };

  const caseReport = async () => {
    setBanner(null);
    setNotice(null);
    try {
      const caseId = page?.caseId ?? null;
      if (caseId === null) {
        setBanner({ key: 'errors.code.INVALID_INPUT', detail: t('report.needCase') });
        return;
      }
      const r = await client.invoke('audit.caseReport', { caseId });
      const bytes = Uint8Array.from(atob(r.data), (ch) => ch.charCodeAt(0));
      save(r.fileName, new Blob([bytes], { type: 'application/pdf' }));
      setNotice(t('report.made', { file: r.fileName, entries: r.entries }));
    } catch (e) {
      setBanner(formFailure(e).banner);
    }
  };

  const checkChain = async () => {
    setChecking(true);
    try {
      const r = await client.invoke('audit.verifyChain', {});
      setChain(
        r.ok
          ? t('chain.ok', { count: r.count, anchors: r.anchors })
          : r.brokenAt !== null
            ? t('chain.broken', { seq: r.brokenAt })
            : t('chain.brokenAnchors'),
      );
    } catch (e) {
      setBanner(formFailure(e).banner);
    } finally {
      setChecking(false);
    }
  };

  const kinds = useMemo(
    () => AUDIT_KINDS.map((k) => ({ value: k, label: kindName(k, i18n.language) })),
    [i18n.language],
  );

  return (
    <section className="screen audit" aria-labelledby="audit-title">
      <div className="screen__head">
        <h1 id="audit-title">{t('title')}</h1>
      </div>
      <p className="muted">{t('intro')}</p>
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      <div className="panel" data-testid="audit-chain">
        <h2 className="panel__title">{t('chain.title')}</h2>
        <button
          type="button"
          className="button"
          disabled={checking}
          onClick={() => void checkChain()}
        >
          {checking ? t('chain.checking') : t('chain.check')}
        </button>
        {chain ? (
          <p role="status" data-testid="audit-chain-result">
            {chain}
          </p>
        ) : null}
      </div>
      <form
        className="panel audit__filter"
        aria-label={t('filter.title')}
        onSubmit={(e) => {
          e.preventDefault();
          void search(false);
        }}
      >
        <TextField label={t('filter.caseNo')} value={draft.caseNo} onChange={set('caseNo')} />
        <SelectField
          label={t('filter.person')}
          value={draft.person}
          options={[
            { value: '', label: t('filter.any') },
            ...people.map((p) => ({ value: String(p.id), label: p.displayName })),
          ]}
          onChange={set('person')}
        />
        <SelectField
          label={t('filter.kind')}
          value={draft.kind}
          options={[{ value: '', label: t('filter.any') }, ...kinds]}
          onChange={set('kind')}
        />
        <TextField label={t('filter.from')} type="date" value={draft.from} onChange={set('from')} />
        <TextField label={t('filter.to')} type="date" value={draft.to} onChange={set('to')} />
        <div className="audit__actions">
          <button type="submit" className="button button--primary">
            {t('filter.search')}
          </button>
          <button type="button" className="button" onClick={() => void exportCsv()}>
            {t('filter.csv')}
          </button>
          <button type="button" className="button" onClick={() => void caseReport()}>
            {t('report.make')}
          </button>
        </div>
      </form>
      {page === null ? null : page.entries.length === 0 ? (
        <p className="empty">{t('empty')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table--compact" data-testid="audit-entries">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('col.seq')}
                  </th>
                  <th scope="col">{t('col.at')}</th>
                  <th scope="col">{t('col.actor')}</th>
                  <th scope="col">{t('col.action')}</th>
                  <th scope="col">{t('col.entity')}</th>
                  <th scope="col">{t('col.case')}</th>
                  <th scope="col">{t('col.hash')}</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => {
                  const to = subjectRoute(e);
                  const what = `${entityName(e.entity, i18n.language)}${
                    e.entityId !== null ? t('number', { n: e.entityId }) : ''
                  }`;
                  return (
                    <tr key={e.seq} data-action={e.action}>
                      <td className="num">{e.seq}</td>
                      <td>
                        <DateTime ms={e.at} />
                      </td>
                      <td>
                        {/* No account: the party or an officer at a signing surface, else the system. */}
                        {e.actor ?? (atSigningSurface(e) ? t('surface') : t('system'))}
                      </td>
                      <td>{actionName(e.action, i18n.language)}</td>
                      <td>{to ? <a href={routeHref(to)}>{what}</a> : what}</td>
                      <td>
                        {e.caseId !== null ? (
                          <a href={routeHref({ name: 'case', id: e.caseId, tab: 'history' })}>
                            {page.caseNos[e.caseId] ?? e.caseId}
                          </a>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td className="mono muted">{e.hash.slice(0, 12)}…</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="muted">{t('shown', { count: page.entries.length })}</p>
          {page.next !== null ? (
            <button type="button" className="button" onClick={() => void search(true)}>
              {t('more')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
