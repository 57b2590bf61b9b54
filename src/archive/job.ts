import { DateTime } from 'luxon';
import * as archives from '../mirror/repositories/archives.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { systemClock } from '../platform/clock.js';
import { addDays } from '../platform/time.js';
import { archiveSchoolId, archiveZone, type ArchiveDeps } from './create.js';
import { studyYearLabel } from './naming.js';
import { runArchive, type ArchiveRunResult } from './run.js';

/**
 * Archive jobs for service mode (the jobs engine in `src/jobs` schedules them):
 * - `weekly`: a regular archive;
 * - `period-end`: run daily; archives each reporting period that ended within the last
 *   `lookbackDays` and has no complete period archive yet (and, after the last period of the
 *   school year, the year archive with its summary sheets). Idempotent: a repeated or
 *   retried run finds the archive registered and does nothing.
 * Failures are recorded by `createArchive` (`archive_failed` operator event) and rethrown so
 * the queue's retry policy applies.
 */

export const ARCHIVE_JOB_NAME = 'archive';

/** Default schedules (cron, school time zone): Sunday 02:30, and a daily period-end check at 04:00. */
export const DEFAULT_ARCHIVE_CRON = { weekly: '30 2 * * 0', periodEnd: '0 4 * * *' } as const;

/** `asOf` (`ezh jobs run archive --as-of`): the archive's as-of, as `ezh archive create --as-of`. */
export type ArchiveJobPayload =
  | { trigger: 'weekly'; schoolId?: string | null; asOf?: number }
  | { trigger: 'period-end'; schoolId?: string | null; lookbackDays?: number; asOf?: number };

export interface DueArchive {
  kind: 'period' | 'year';
  period: string;
}

export async function createArchiveJob(
  deps: ArchiveDeps,
  payload: ArchiveJobPayload,
): Promise<ArchiveRunResult[]> {
  const schoolId = archiveSchoolId(deps.config, payload.schoolId);
  const asOf = payload.asOf;
  if (payload.trigger === 'weekly') {
    return [await runArchive(deps, { kind: 'regular', schoolId, asOf })];
  }
  const zone = await archiveZone(deps.mirror.db, deps.config, schoolId);
  const now = (deps.clock ?? systemClock).now();
  const due = await duePeriodArchives(
    deps.mirror.db,
    schoolId,
    now,
    zone,
    payload.lookbackDays ?? 14,
  );
  const out: ArchiveRunResult[] = [];
  for (const d of due) {
    out.push(await runArchive(deps, { kind: d.kind, period: d.period, schoolId, asOf }));
  }
  return out;
}

/**
 * Periods that ended (finish date before today, school time) within the lookback window and
 * have no complete archive taken after their end; plus the year when its last period is among them.
 */
export async function duePeriodArchives(
  db: SqlExecutor,
  schoolId: string | null,
  now: number,
  zone: string,
  lookbackDays: number,
): Promise<DueArchive[]> {
  const today = DateTime.fromMillis(now, { zone }).toISODate()!;
  const from = addDays(today, -lookbackDays);
  const where = `deleted_at IS NULL ${schoolId ? 'AND school_id = ?' : ''}`;
  const params = schoolId ? [schoolId] : [];
  const ended = await db.query<{ name: string; finish: string }>(
    `SELECT name, max(finish_date) AS finish FROM reporting_periods WHERE ${where} AND finish_date >= ? AND finish_date < ?
     GROUP BY name ORDER BY finish, name`,
    [...params, from, today],
  );
  const lastOfYear = await db.query<{ finish: string | null }>(
    `SELECT max(finish_date) AS finish FROM reporting_periods WHERE ${where} AND finish_date >= ?`,
    [...params, from],
  );
  const done = (await archives.list(db, { schoolId })).filter(
    (a) => a.status === 'complete' && (a.kind === 'period' || a.kind === 'year'),
  );
  const archivedAfter = (kind: string, period: string, finish: string) => {
    const end = DateTime.fromISO(finish, { zone }).plus({ days: 1 }).toMillis();
    return done.some((d) => d.kind === kind && d.period === period && d.asOf >= end);
  };
  const out: DueArchive[] = [];
  for (const p of ended) {
    const name = String(p.name);
    if (!archivedAfter('period', name, String(p.finish))) {
      out.push({ kind: 'period', period: name });
    }
  }
  const last = lastOfYear[0]?.finish ? String(lastOfYear[0].finish) : null;
  if (last && last < today && ended.some((p) => String(p.finish) === last)) {
    const label = studyYearLabel(DateTime.fromISO(last, { zone }).toMillis(), zone);
    if (!archivedAfter('year', label, last)) out.push({ kind: 'year', period: label });
  }
  return out;
}
