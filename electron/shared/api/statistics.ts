/**
 * Supervision statistics (R6.4): a period's and a unit's figures for leaders and the
 * legal-affairs office, each figure drilling down to the cases behind it, exported as CSV and
 * as a PDF report signed by the workstation. Cases count by when they were opened, sessions by
 * when their recording started, other acts (discs, grants, copies, views) by when they were done.
 */
import { z } from 'zod';
import { STAT_METRICS, type StatFigure, type StatMetric } from '../rules/statistics';
import type { Phase } from '../domain';
import { events, method, SUPERVISORS } from './define';

export const statsScopeSchema = z
  .object({
    /** UTC ms, inclusive. */
    from: z.number().int().min(0),
    /** UTC ms, exclusive. */
    to: z.number().int().min(1),
    /** A unit (承办单位); null: cases with no unit; absent: every unit. */
    unit: z.string().trim().min(1).max(100).nullable().optional(),
  })
  .strict()
  .refine((s) => s.to > s.from, { message: 'the period ends before it starts', path: ['to'] })
  .refine((s) => s.to - s.from <= 10 * 366 * 86_400_000, {
    message: 'a period is at most ten years',
    path: ['to'],
  });
export type StatsScope = z.output<typeof statsScopeSchema>;

export interface StatsDto {
  scope: StatsScope;
  /** When the figures were counted (storage and filing lateness are judged at this moment). */
  at: number;
  figures: StatFigure[];
}

export interface StatCaseRow {
  caseId: number;
  caseNo: string;
  cause: string;
  phase: Phase;
  unit: string | null;
  /** This case's share of the figure (a count, or ms for durations). */
  value: number;
}

export interface StatCasesDto {
  metric: StatMetric;
  key: string | null;
  total: number;
  rows: StatCaseRow[];
}

export const statisticsMethods = {
  /** The units cases are handled by, for the screen's choice (null: cases with no unit). */
  'stats.units': method<(string | null)[]>()(z.object({}).strict(), SUPERVISORS),
  /** Every figure of the period and unit. */
  'stats.summary': method<StatsDto>()(statsScopeSchema, SUPERVISORS),
  /** The cases behind one figure (or one part of it), largest share first, at most 500. */
  'stats.cases': method<StatCasesDto>()(
    z
      .object({
        scope: statsScopeSchema,
        metric: z.enum(STAT_METRICS),
        key: z.string().max(60).nullable(),
      })
      .strict(),
    SUPERVISORS,
  ),
  /** The figures as CSV (UTF-8 with a byte-order mark, for spreadsheets); the export is audited. */
  'stats.csv': method<{ fileName: string; csv: string }>()(statsScopeSchema, SUPERVISORS),
  /** The figures and their charts as a PDF signed by the workstation (base64); audited. */
  'stats.report': method<{ fileName: string; data: string }>()(statsScopeSchema, SUPERVISORS),
} as const;

export type StatisticsEvents = Record<never, never>;
export const STATISTICS_EVENTS = events<StatisticsEvents>()([]);
