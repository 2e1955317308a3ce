/** The handlers of the supervision statistics' methods (electron/shared/api/statistics.ts). */
import type { statisticsMethods } from '../../../shared/api/statistics';
import type { HandlersOf } from '../handler';

export const statisticsHandlers: HandlersOf<typeof statisticsMethods> = {
  'stats.units': (s) => s.statistics.units(),
  'stats.summary': (s, _c, i) => s.statistics.summary(i),
  'stats.cases': (s, _c, i) => s.statistics.cases(i.scope, i.metric, i.key),
  'stats.csv': (s, c, i) => s.statistics.csv(c, i),
  'stats.report': (s, c, i) => s.statistics.report(c, i),
};
