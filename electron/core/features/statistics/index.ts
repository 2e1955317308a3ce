/** Supervision statistics: the figures of a period and a unit, their cases, their exports. */
export { StatisticsService, type StatisticsPorts } from './service';
export { renderStatsReport, statsCsv, statChartSvg } from './export';
