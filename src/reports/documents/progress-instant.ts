import { DateTime } from 'luxon';
import { UsageError } from '../../platform/errors.js';
import { parseAsOf } from '../../platform/time.js';

/**
 * The instant the progress documents (the weekly sheet, the student's extract) are computed at:
 * `--as-of` (default the app's now), or the end of the week holding `--week`'s day (Sunday
 * 23:59:59.999 in the school's zone) when that is earlier: a past week is printed as it stood at
 * its end, the current one as it stands now.
 */
export function progressInstant(
  asOf: string | number | undefined,
  week: string | undefined,
  zone: string,
  now: () => number,
): number {
  let at: number;
  try {
    at = typeof asOf === 'number' ? asOf : parseAsOf(asOf, zone, now);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (week === undefined) return at;
  const day = DateTime.fromISO(week, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(week) || !day.isValid) {
    throw new UsageError(`invalid --week "${week}": expected a date YYYY-MM-DD`);
  }
  const start = day.startOf('week');
  if (at < start.toMillis()) throw new UsageError('--as-of is before the week asked for');
  return Math.min(at, day.endOf('week').toMillis());
}
