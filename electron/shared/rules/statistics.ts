/**
 * Supervision statistics (R6.4): what the supervision screen counts, the words for each figure
 * and each of its breakdowns, and how its charts are drawn. Pure and shared: the screen, the
 * CSV export and the signed PDF report name and draw every figure from here, so the three
 * cannot disagree.
 */
import { MATTER_KINDS, PHASES, SESSION_KINDS } from '../domain';
import { zhName } from '../names-zh';

/** Each figure the screen shows, in the order shown. */
export const STAT_METRICS = [
  'cases_by_phase',
  'cases_by_kind',
  'sessions_by_kind',
  'recording_time',
  'interruptions',
  'abandoned',
  'refusals',
  'notice_gaps',
  'storage',
  'storage_lateness',
  'filing_overdue',
  'discs',
  'access_grants',
  'party_copies',
  'evidence_views',
] as const;
export type StatMetric = (typeof STAT_METRICS)[number];

/** Why a recording was interrupted, as the core records it. */
export const INTERRUPTION_REASONS = [
  'connection_lost',
  'disk_floor',
  'write_failed',
  'shutdown',
  'core_stopped',
] as const;

/** A bag against the 24-hour rule (R4.1). */
export const STORAGE_OUTCOMES = ['in_time', 'late', 'overdue', 'awaiting'] as const;
export type StorageOutcome = (typeof STORAGE_OUTCOMES)[number];

/** How late a bag reached storage (or, not there yet, how long past its deadline it is). */
export const LATENESS_BUCKETS = ['under_1h', 'under_6h', 'under_24h', 'over_24h'] as const;
export type LatenessBucket = (typeof LATENESS_BUCKETS)[number];

/** A case against its filing deadline (R5.2), as supervision counts it. */
export const FILING_LATENESS = ['unfiled', 'filed_late'] as const;

/** Every breakdown that is not a domain enum (phases, kinds): each has a name in every language. */
export const STAT_PARTS = [
  ...INTERRUPTION_REASONS,
  'unknown',
  'missing',
  'overridden',
  ...STORAGE_OUTCOMES,
  ...LATENESS_BUCKETS,
  ...FILING_LATENESS,
  'verified',
  'failed',
  'pending',
  'view',
  'copy',
] as const;

const HOUR_MS = 3_600_000;

export function latenessBucket(lateMs: number): LatenessBucket {
  if (lateMs < HOUR_MS) return 'under_1h';
  if (lateMs < 6 * HOUR_MS) return 'under_6h';
  if (lateMs < 24 * HOUR_MS) return 'under_24h';
  return 'over_24h';
}

/** How each figure is read: a count, or a duration (kept in ms, shown in hours). */
export type StatUnit = 'count' | 'duration';

export interface StatMetricInfo {
  /** What the figure counts, in a clause (the PDF and CSV say it under the title). */
  counts: string;
  unit: StatUnit;
  /** A pie reads better than bars for a whole split into a few parts. */
  chart: 'bar' | 'pie' | null;
  /** The breakdown's keys in the order shown; null when the figure has none. */
  keys: readonly string[] | null;
}

export const STAT_METRIC_INFO: Record<StatMetric, StatMetricInfo> = {
  cases_by_phase: {
    counts: '期间内立案的案件，按当前所处阶段',
    unit: 'count',
    chart: 'bar',
    keys: PHASES,
  },
  cases_by_kind: {
    counts: '期间内立案的案件，按执法行为类别',
    unit: 'count',
    chart: 'bar',
    keys: MATTER_KINDS,
  },
  sessions_by_kind: {
    counts: '期间内开始录制的询问、听证、约谈、现场检查',
    unit: 'count',
    chart: 'pie',
    keys: SESSION_KINDS,
  },
  recording_time: {
    counts: '期间内开始的各次记录自开始至结束的时长（小时）',
    unit: 'duration',
    chart: null,
    keys: null,
  },
  interruptions: {
    counts: '期间内开始的记录中断的次数',
    unit: 'count',
    chart: 'bar',
    keys: INTERRUPTION_REASONS,
  },
  abandoned: {
    counts: '中断后书面说明并终止、未再恢复的记录',
    unit: 'count',
    chart: null,
    keys: null,
  },
  refusals: {
    counts: '当事人等拒绝在笔录上签名的人次',
    unit: 'count',
    chart: null,
    keys: null,
  },
  notice_gaps: {
    counts: '已封存的记录中未告知录音录像、权利义务或未核对身份的',
    unit: 'count',
    chart: 'bar',
    keys: ['missing', 'overridden'],
  },
  storage: {
    counts: '已封存的记录包存入指定存储的时效',
    unit: 'count',
    chart: 'pie',
    keys: STORAGE_OUTCOMES,
  },
  storage_lateness: {
    counts: '逾期存入或尚未存入的记录包超出期限的时长',
    unit: 'count',
    chart: 'bar',
    keys: LATENESS_BUCKETS,
  },
  filing_overdue: {
    counts: '期间内立案、超过归档期限尚未归档或逾期归档的案件',
    unit: 'count',
    chart: null,
    keys: FILING_LATENESS,
  },
  discs: {
    counts: '期间内制作的证据光盘，按核验结果',
    unit: 'count',
    chart: 'bar',
    keys: ['verified', 'failed', 'pending'],
  },
  access_grants: {
    counts: '期间内批准的调阅、复制音像记录',
    unit: 'count',
    chart: null,
    keys: ['view', 'copy'],
  },
  party_copies: {
    counts: '期间内为当事人制作的复制件',
    unit: 'count',
    chart: null,
    keys: null,
  },
  evidence_views: {
    counts: '期间内查看封存音像记录、笔录的次数',
    unit: 'count',
    chart: null,
    keys: null,
  },
};

/** The Chinese name of a figure. */
export function statMetricZh(metric: StatMetric): string {
  return zhName('statMetric', metric);
}

/** The Chinese name of one breakdown of a figure (an unknown reason is shown as recorded). */
export function statKeyZh(metric: StatMetric, key: string | null): string {
  if (key === null) return '合计';
  if (metric === 'cases_by_phase') return zhName('phase', key);
  if (metric === 'cases_by_kind') return zhName('matterKind', key);
  if (metric === 'sessions_by_kind') return zhName('sessionKind', key);
  return zhName('statPart', key);
}

/** Which names a figure's breakdowns take: a domain enum's, or the statistics' own. */
export function statKeySection(
  metric: StatMetric,
): 'phase' | 'matterKind' | 'sessionKind' | 'statPart' {
  return metric === 'cases_by_phase'
    ? 'phase'
    : metric === 'cases_by_kind'
      ? 'matterKind'
      : metric === 'sessions_by_kind'
        ? 'sessionKind'
        : 'statPart';
}

/** One figure, or one part of it. */
export interface StatFigure {
  metric: StatMetric;
  /** The breakdown (a phase, a kind, a reason …); null for a figure without one. */
  key: string | null;
  /** A count, or for durations milliseconds. */
  value: number;
  /** How many cases stand behind it (what drilling down lists). */
  cases: number;
}

/** The figures of one metric, in the metric's order of keys, every listed key present. */
export function figuresOf(figures: readonly StatFigure[], metric: StatMetric): StatFigure[] {
  const info = STAT_METRIC_INFO[metric];
  const own = figures.filter((f) => f.metric === metric);
  if (!info.keys) return own.length ? own : [{ metric, key: null, value: 0, cases: 0 }];
  const known = info.keys.map(
    (key) => own.find((f) => f.key === key) ?? { metric, key, value: 0, cases: 0 },
  );
  return [...known, ...own.filter((f) => !info.keys!.includes(f.key ?? ''))];
}

/** The figure's total across its breakdowns. */
export function totalOf(figures: readonly StatFigure[], metric: StatMetric): number {
  return figures.filter((f) => f.metric === metric).reduce((n, f) => n + f.value, 0);
}

/** A value as printed: a count as is, a duration in hours with one decimal. */
export function formatStatValue(metric: StatMetric, value: number): string {
  return STAT_METRIC_INFO[metric].unit === 'duration'
    ? (value / HOUR_MS).toFixed(1)
    : String(value);
}

/**
 * The chart of one figure as an ECharts option: the same option draws on the screen and,
 * rendered to SVG by the core, in the signed PDF report. Labels come from `label`.
 */
export function statChartOption(
  figures: readonly StatFigure[],
  metric: StatMetric,
  label: (metric: StatMetric, key: string | null) => string,
  o: { fontFamily?: string; animation?: boolean } = {},
): Record<string, unknown> | null {
  const info = STAT_METRIC_INFO[metric];
  if (!info.chart) return null;
  const parts = figuresOf(figures, metric);
  const textStyle = o.fontFamily ? { fontFamily: o.fontFamily } : {};
  const base = { animation: o.animation ?? true, textStyle, color: PALETTE };
  if (info.chart === 'pie') {
    const data = parts
      .filter((p) => p.value > 0)
      .map((p) => ({ name: label(metric, p.key), value: p.value, key: p.key }));
    return {
      ...base,
      tooltip: { trigger: 'item' },
      // The names in a legend under the ring, the numbers on it: nothing is cut short.
      legend: { bottom: 0, left: 'center', itemWidth: 12, itemHeight: 10, textStyle },
      series: [
        {
          type: 'pie',
          radius: ['32%', '58%'],
          center: ['50%', '42%'],
          label: { formatter: '{c}', ...textStyle },
          data: data.length ? data : [{ name: '—', value: 0, key: null }],
        },
      ],
    };
  }
  // Long names lean so that neighbours do not run into each other.
  const names = parts.map((p) => label(metric, p.key));
  const lean = names.length * Math.max(...names.map((n) => n.length)) >= 20;
  return {
    ...base,
    grid: { left: 40, right: 16, top: 24, bottom: lean ? 64 : 32 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: names,
      axisLabel: { interval: 0, ...(lean ? { rotate: 30 } : {}), ...textStyle },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        data: parts.map((p) => ({ value: p.value, key: p.key })),
        label: { show: true, position: 'top' },
        barMaxWidth: 48,
      },
    ],
  };
}

const PALETTE = ['#3b6fd4', '#e0a030', '#3aa57a', '#c8553d', '#7b61c4', '#5a9bb8', '#8c8c8c'];
