import type { SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';
import type { JournalPeriod } from './journal-types.js';

export type PeriodRow = {
  period_id: string;
  type: string;
  number: number;
  name: string;
  start_date: string;
  finish_date: string;
};

const SHORT: Record<string, string> = { quarter: 'ч.', trimester: 'тр.', half_year: 'п/г', semester: 'сем.', module: 'мод.' };

export function periodShort(p: PeriodRow): string {
  const suffix = SHORT[p.type];
  return suffix ? `${p.number} ${suffix}` : p.name;
}

export function toJournalPeriod(p: PeriodRow): JournalPeriod {
  return { id: p.period_id, name: p.name, short: periodShort(p), start: p.start_date, finish: p.finish_date };
}

export const samePeriodName = (a: string, b: string): boolean =>
  a.trim().toLowerCase().replace(/\s+/g, ' ') === b.trim().toLowerCase().replace(/\s+/g, ' ');

/** Reporting periods of a class (all types), by start date. */
export async function classPeriods(db: SqlExecutor, classId: string): Promise<PeriodRow[]> {
  const rows = await db.query<PeriodRow>(
    'SELECT period_id, type, number, name, start_date, finish_date FROM reporting_periods WHERE class_id = ? AND deleted_at IS NULL ORDER BY start_date, number, period_id',
    [classId],
  );
  return rows.map((r) => ({ ...r, number: Number(r.number) }));
}

/** The periods a document covers: the one named, or (whole year) every period but the year itself. */
export function coveredPeriods(all: PeriodRow[], periodName: string | null): PeriodRow[] {
  const terms = all.filter((p) => p.type !== 'year');
  if (periodName === null) return terms;
  const found = terms.filter((p) => samePeriodName(p.name, periodName));
  if (found.length === 0) {
    throw new UsageError(`no period "${periodName}" for this class`, [`periods: ${terms.map((p) => p.name).join(', ')}`]);
  }
  return found;
}
