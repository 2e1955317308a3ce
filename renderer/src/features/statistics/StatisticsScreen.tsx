/**
 * 统计监督 (R6.4): for a chosen period and handling unit, every figure the core counts (cases,
 * sessions, hours recorded, interruptions, refusals, notice gaps, storage within 24 hours,
 * filing, discs, access, party copies, files viewed), charts where a picture reads better, and
 * under every number the cases behind it; exported as CSV or as a PDF report the workstation
 * signs. The core checks the roles on every call.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StatCasesDto, StatsDto, StatsScope } from '@shared/api/statistics';
import {
  figuresOf,
  formatStatValue,
  STAT_METRIC_INFO,
  STAT_METRICS,
  statKeySection,
  totalOf,
  type StatMetric,
} from '@shared/rules/statistics';
import { dateIn } from '@shared/time';
import { useClient } from '../../app/ClientContext';
import { routeHref } from '../../app/route';
import { ErrorBanner, Notice } from '../../ui/Banner';
import { DateTime } from '../../ui/DateTime';
import { SelectField, TextField } from '../../ui/Field';
import { useEnumLabel } from '../../ui/enumLabels';
import { agencyTimeZone, fromDateInput } from '../../ui/time';
import { useCall } from '../../ui/useCall';
import { formFailure, type BannerMessage } from '../../ui/fieldErrors';
import { useSectionT } from '../../i18n/section';
import { StatChart } from './StatChart';
import './statistics.css';

interface Draft {
  from: string;
  to: string;
  /** '*': every unit; '-': cases with no unit; else the unit's name. */
  unit: string;
}

/** The first and last day of this year, last year, this quarter or this month, in the agency's zone. */
function preset(which: 'thisYear' | 'lastYear' | 'thisQuarter' | 'thisMonth'): {
  from: string;
  to: string;
} {
  const today = dateIn(Date.now(), agencyTimeZone());
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const last = (year: number, month: number) =>
    new Date(Date.UTC(year, month, 0)).getUTCDate().toString().padStart(2, '0');
  const mm = (n: number) => String(n).padStart(2, '0');
  switch (which) {
    case 'thisYear':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    case 'lastYear':
      return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
    case 'thisQuarter': {
      const q = Math.floor((m - 1) / 3) * 3 + 1;
      return { from: `${y}-${mm(q)}-01`, to: `${y}-${mm(q + 2)}-${last(y, q + 2)}` };
    }
    case 'thisMonth':
      return { from: `${y}-${mm(m)}-01`, to: `${y}-${mm(m)}-${last(y, m)}` };
  }
}

function scopeOf(d: Draft): StatsScope | null {
  const from = fromDateInput(d.from);
  const to = fromDateInput(d.to, true);
  if (from === undefined || to === undefined || to <= from) return null;
  return {
    from,
    to,
    ...(d.unit === '*' ? {} : { unit: d.unit === '-' ? null : d.unit }),
  };
}

function save(name: string, blob: Blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
}

export function StatisticsScreen() {
  const t = useSectionT('statistics');
  const enumLabel = useEnumLabel();
  const client = useClient();
  const [draft, setDraft] = useState<Draft>({ ...preset('thisYear'), unit: '*' });
  const [units, setUnits] = useState<(string | null)[]>([]);
  const [stats, setStats] = useState<StatsDto | null>(null);
  const [drill, setDrill] = useState<StatCasesDto | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const { busy, banner: callBanner, run } = useCall();
  const drillPanel = useRef<HTMLDivElement>(null);
  // The cases opened from a number or a bar come into view, and the keyboard with them.
  useEffect(() => {
    if (!drill) return;
    drillPanel.current?.scrollIntoView({ block: 'start' });
    drillPanel.current?.focus();
  }, [drill]);
  const [loadBanner, setLoadBanner] = useState<BannerMessage | null>(null);
  const banner = callBanner ?? loadBanner;

  const label = useCallback(
    (metric: StatMetric, key: string | null): string =>
      key === null
        ? t('total')
        : (enumLabel as (s: string, v: string) => string)(statKeySection(metric), key),
    [enumLabel, t],
  );
  const metricName = (metric: StatMetric) => enumLabel('statMetric', metric);

  const count = useCallback(
    async (d: Draft) => {
      const scope = scopeOf(d);
      setInvalid(scope === null);
      setNotice(null);
      if (!scope) return;
      setDrill(null);
      await run(
        () => client.invoke('stats.summary', scope),
        (s) => setStats(s),
      );
    },
    [client, run],
  );

  // The units, and this year's figures on opening; other periods on request.
  useEffect(() => {
    let live = true;
    client.invoke('stats.units', {}).then(
      (u) => live && setUnits(u),
      () => live && setUnits([]),
    );
    const year = scopeOf({ ...preset('thisYear'), unit: '*' });
    if (year)
      client.invoke('stats.summary', year).then(
        (s) => live && setStats(s),
        (e: unknown) => live && setLoadBanner(formFailure(e).banner),
      );
    return () => {
      live = false;
    };
  }, [client]);

  const open = (metric: StatMetric, key: string | null) => {
    if (!stats) return;
    void run(
      () => client.invoke('stats.cases', { scope: stats.scope, metric, key }),
      (d) => setDrill(d),
    );
  };

  const exportCsv = () => {
    if (!stats) return;
    void run(
      () => client.invoke('stats.csv', stats.scope),
      (r) => {
        save(r.fileName, new Blob([r.csv], { type: 'text/csv;charset=utf-8' }));
        setNotice(t('exported', { file: r.fileName }));
      },
    );
  };
  const exportPdf = () => {
    if (!stats) return;
    void run(
      () => client.invoke('stats.report', stats.scope),
      (r) => {
        const bytes = Uint8Array.from(atob(r.data), (ch) => ch.charCodeAt(0));
        save(r.fileName, new Blob([bytes], { type: 'application/pdf' }));
        setNotice(t('reported', { file: r.fileName }));
      },
    );
  };

  /** A count as is; a duration in hours and minutes (a short one is not shown as nothing). */
  const value = (metric: StatMetric, v: number) => {
    if (STAT_METRIC_INFO[metric].unit !== 'duration') return formatStatValue(metric, v);
    const minutes = Math.round(v / 60_000);
    if (v > 0 && minutes === 0) return t('underAMinute');
    return t('duration', { h: Math.floor(minutes / 60), m: minutes % 60 });
  };

  return (
    <section className="screen stats" aria-labelledby="stats-title">
      <div className="screen__head">
        <h1 id="stats-title">{t('title')}</h1>
      </div>
      <p className="muted">{t('intro')}</p>
      <form
        className="panel stats__scope"
        aria-label={t('period')}
        onSubmit={(e) => {
          e.preventDefault();
          void count(draft);
        }}
      >
        <TextField
          label={t('from')}
          type="date"
          value={draft.from}
          onChange={(from) => setDraft((d) => ({ ...d, from }))}
        />
        <TextField
          label={t('to')}
          type="date"
          value={draft.to}
          onChange={(to) => setDraft((d) => ({ ...d, to }))}
        />
        <SelectField
          label={t('unit')}
          value={draft.unit}
          options={[
            { value: '*', label: t('allUnits') },
            ...units.map((u) =>
              u === null ? { value: '-', label: t('noUnit') } : { value: u, label: u },
            ),
          ]}
          onChange={(unit) => setDraft((d) => ({ ...d, unit }))}
        />
        <div className="stats__presets" role="group" aria-label={t('period')}>
          {(['thisYear', 'lastYear', 'thisQuarter', 'thisMonth'] as const).map((p) => (
            <button
              key={p}
              type="button"
              className="button button--small"
              onClick={() => {
                const next = { ...draft, ...preset(p) };
                setDraft(next);
                void count(next);
              }}
            >
              {t(`presets.${p}`)}
            </button>
          ))}
        </div>
        <div className="stats__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('counting') : t('count')}
          </button>
          <button type="button" className="button" disabled={!stats || busy} onClick={exportCsv}>
            {t('csv')}
          </button>
          <button type="button" className="button" disabled={!stats || busy} onClick={exportPdf}>
            {t('report')}
          </button>
        </div>
      </form>
      {invalid ? (
        <p className="form-error" role="alert">
          {t('badPeriod')}
        </p>
      ) : null}
      <Notice text={notice} />
      {banner ? <ErrorBanner message={banner} /> : null}
      {stats ? (
        <>
          <p className="muted" data-testid="stats-counted-at" data-at={stats.at}>
            {t('countedAt', { at: '' })}
            <DateTime ms={stats.at} />
          </p>
          {drill ? (
            <div
              className="panel stats__drill"
              data-testid="stats-drill"
              ref={drillPanel}
              tabIndex={-1}
            >
              <div className="stats__drill-head">
                <h2 className="panel__title">
                  {t('drill.title', {
                    figure: metricName(drill.metric),
                    part: label(drill.metric, drill.key),
                  })}
                </h2>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setDrill(null)}
                >
                  {t('drill.close')}
                </button>
              </div>
              {drill.rows.length === 0 ? (
                <p className="empty">{t('drill.empty')}</p>
              ) : (
                <>
                  {drill.total > drill.rows.length ? (
                    <p className="muted">
                      {t('drill.shown', { total: drill.total, shown: drill.rows.length })}
                    </p>
                  ) : null}
                  <div className="table-wrap">
                    <table className="table table--compact">
                      <thead>
                        <tr>
                          <th scope="col">{t('drill.caseNo')}</th>
                          <th scope="col">{t('drill.cause')}</th>
                          <th scope="col">{t('drill.phase')}</th>
                          <th scope="col">{t('drill.unit')}</th>
                          <th scope="col" className="num">
                            {t('drill.value')}
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {drill.rows.map((r) => (
                          <tr key={r.caseId}>
                            <td>
                              <a href={routeHref({ name: 'case', id: r.caseId, tab: 'overview' })}>
                                {r.caseNo}
                              </a>
                            </td>
                            <td>{r.cause}</td>
                            <td>{enumLabel('phase', r.phase)}</td>
                            <td>{r.unit ?? t('noUnit')}</td>
                            <td className="num">{value(drill.metric, r.value)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </div>
          ) : null}
          <div className="stats__grid">
            {STAT_METRICS.map((metric) => {
              const parts = figuresOf(stats.figures, metric);
              const keyed = STAT_METRIC_INFO[metric].keys !== null;
              const total = totalOf(stats.figures, metric);
              return (
                <article
                  key={metric}
                  className="panel stats__figure"
                  data-testid={`stat-${metric}`}
                  aria-labelledby={`stat-${metric}-title`}
                >
                  <h2 id={`stat-${metric}-title`} className="panel__title">
                    {metricName(metric)}
                  </h2>
                  <button
                    type="button"
                    className="stats__total"
                    data-testid={`stat-${metric}-total`}
                    data-value={total}
                    onClick={() => (keyed ? undefined : open(metric, null))}
                    disabled={keyed || total === 0}
                  >
                    {value(metric, total)}
                  </button>
                  {keyed ? (
                    <ul className="stats__parts">
                      {parts.map((f) => (
                        <li key={String(f.key)}>
                          <span>{label(metric, f.key)}</span>
                          <button
                            type="button"
                            className="link-button"
                            data-testid={`stat-${metric}-${f.key}`}
                            data-value={f.value}
                            disabled={f.value === 0}
                            onClick={() => open(metric, f.key)}
                            title={t('cases', { count: f.cases })}
                          >
                            {value(metric, f.value)}
                          </button>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <StatChart
                    figures={stats.figures}
                    metric={metric}
                    label={label}
                    onPick={(key) => open(metric, key)}
                  />
                </article>
              );
            })}
          </div>
        </>
      ) : null}
    </section>
  );
}
