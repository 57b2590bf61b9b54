import { ProgressService, type ForecastSummary } from '../../analytics/service.js';
import type { DocumentApp } from '../documents/context.js';
import type { PerformanceData } from './performance.js';

/**
 * The class and school forecast of the period results (001 §2.1, issue 21): for each class with
 * results, its own period (a half-year class's «1 полугодие» for «II четверть») forecast by the
 * analytics layer as of `asOf`: успеваемость and качество by the averages as they stand, and if
 * every student's forecast period mark holds. Null when no class has a period to forecast.
 */
export async function loadPerformanceForecast(
  app: DocumentApp,
  data: PerformanceData,
  asOf: number,
): Promise<ForecastSummary | null> {
  const periodOf = new Map(
    data.classes.flatMap((c) => (c.period ? [[c.classId, c.period.id] as const] : [])),
  );
  if (periodOf.size === 0) return null;
  return new ProgressService(app).forecastSummary({
    school: data.school.id,
    classes: [...periodOf.keys()],
    periodOf,
    asOf,
  });
}
