import type { SqlDb } from '../sql.js';
import { getLogger } from '../../platform/logger.js';
import { refreshPeriodTotals, totalsAnswerFor } from './refresh.js';

/**
 * Before a run's rules start: refreshes the school's period totals and says whether they answer
 * for the run's instant. Any failure (a read-only mirror, a lock held too long) only costs time:
 * the period rules then group the marks themselves, as they always can.
 */
export async function preparePeriodTotals(
  db: SqlDb,
  schoolId: string,
  asOf: number,
  now: number,
): Promise<boolean> {
  const log = getLogger();
  try {
    const refresh = await refreshPeriodTotals(db, schoolId, now);
    if (refresh.mode !== 'unchanged') {
      log.debug(
        {
          schoolId,
          mode: refresh.mode,
          periods: refresh.periods,
          series: refresh.series,
          lessons: refresh.lessons,
          versions: refresh.versions,
          ms: Math.round(refresh.ms),
        },
        'period totals refreshed',
      );
    }
  } catch (err) {
    log.warn(
      { schoolId, err: err instanceof Error ? err.message : String(err) },
      'period totals not refreshed: the period rules group the marks themselves',
    );
    return false;
  }
  const answers = await totalsAnswerFor(db, schoolId, asOf);
  if (!answers) log.debug({ schoolId, asOf }, 'period totals are newer than the run: not used');
  return answers;
}
