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

/** Column labels as schools write them: «I ч.», «1 полуг.». Quarters and trimesters in Roman numerals. */
const SHORT: Record<string, { suffix: string; roman: boolean }> = {
  quarter: { suffix: 'ч.', roman: true },
  trimester: { suffix: 'тр.', roman: true },
  half_year: { suffix: 'полуг.', roman: false },
  semester: { suffix: 'сем.', roman: false },
  module: { suffix: 'мод.', roman: false },
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

/**
 * The ordinal is the period's place among the class's periods of its type by start date, never
 * the platform's `number` (zero-based on some servers: «0 ч.»).
 */
export function periodShort(p: PeriodRow, all: readonly PeriodRow[]): string {
  const kind = SHORT[p.type];
  if (!kind) return p.name;
  const ordinal =
    all
      .filter((o) => o.type === p.type)
      .sort((a, b) => a.start_date.localeCompare(b.start_date))
      .findIndex((o) => o.period_id === p.period_id) + 1;
  const n = kind.roman ? (ROMAN[ordinal - 1] ?? String(ordinal)) : String(ordinal);
  return `${n} ${kind.suffix}`;
}

export function toJournalPeriod(p: PeriodRow, all: readonly PeriodRow[]): JournalPeriod {
  return { id: p.period_id, name: p.name, short: periodShort(p, all), start: p.start_date, finish: p.finish_date };
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
