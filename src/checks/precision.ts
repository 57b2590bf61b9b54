import * as syncRuns from '../mirror/repositories/sync-runs.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * How precise entry moments are, stored on each run (`check_runs.entry_time_precision`):
 * `platform` when the connector gives marks' entry times (a mark seen, or stamped, by `asOf`:
 * before the mirror's first sync too); otherwise `first-seen:<N>m`, the mean
 * interval in minutes between the school's recent syncs (lateness is known to within one sync),
 * or `first-seen` when no sync run is recorded.
 */
export async function entryTimePrecision(
  db: SqlExecutor,
  schoolId: string,
  asOf: number,
): Promise<string> {
  const withEntry = await db.query(
    `SELECT 1 AS x FROM marks WHERE school_id = ? AND entered_at IS NOT NULL
       AND (first_seen_at <= ? OR entered_at <= ?) LIMIT 1`,
    [schoolId, asOf, asOf],
  );
  if (withEntry.length > 0) return 'platform';
  const starts = await syncRuns.recentReadingStarts(db, schoolId, asOf, 11);
  if (starts.length < 2) return 'first-seen';
  const first = starts[starts.length - 1]!;
  const last = starts[0]!;
  const minutes = Math.max(1, Math.round((last - first) / (starts.length - 1) / 60_000));
  return `first-seen:${minutes}m`;
}

/** Russian wording for documents: «по данным платформы» / «по времени синхронизации (±60 мин)». */
export function describePrecision(precision: string | null): string {
  if (precision === 'platform') return 'время внесения — по данным платформы';
  const m = /^first-seen:(\d+)m$/.exec(precision ?? '');
  if (m) return `время внесения — по первой синхронизации, точность ±${m[1]} мин`;
  return 'время внесения — по первой синхронизации, интервал синхронизации неизвестен';
}
