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

/**
 * Period names as schools write them: «I четверть» in titles, «I ч.» in column labels; quarters
 * and trimesters in Roman numerals. Unknown types keep the platform's name.
 */
const KINDS: Record<string, { noun: string; suffix: string; roman: boolean }> = {
  quarter: { noun: 'четверть', suffix: 'ч.', roman: true },
  trimester: { noun: 'триместр', suffix: 'тр.', roman: true },
  half_year: { noun: 'полугодие', suffix: 'полуг.', roman: false },
  semester: { noun: 'семестр', suffix: 'сем.', roman: false },
  module: { noun: 'модуль', suffix: 'мод.', roman: false },
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

/**
 * The period's number as the school writes it, or null for an unknown type. The ordinal is the
 * period's place among the class's periods of its type by start date, never the platform's
 * `number` (zero-based on some servers: «0 ч.»).
 */
function periodNumeral(p: PeriodRow, all: readonly PeriodRow[]): string | null {
  const kind = KINDS[p.type];
  if (!kind) return null;
  const ordinal =
    all
      .filter((o) => o.type === p.type)
      .sort((a, b) => a.start_date.localeCompare(b.start_date))
      .findIndex((o) => o.period_id === p.period_id) + 1;
  if (ordinal < 1) return null;
  return kind.roman ? (ROMAN[ordinal - 1] ?? String(ordinal)) : String(ordinal);
}

/** Column label: «I ч.», «1 полуг.». */
export function periodShort(p: PeriodRow, all: readonly PeriodRow[]): string {
  const n = periodNumeral(p, all);
  return n === null ? p.name : `${n} ${KINDS[p.type]!.suffix}`;
}

/** Title in documents: «I четверть», «1 полугодие», «II триместр». */
export function periodTitle(p: PeriodRow, all: readonly PeriodRow[]): string {
  const n = periodNumeral(p, all);
  return n === null ? p.name : `${n} ${KINDS[p.type]!.noun}`;
}

const norm = (s: string): string => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

/** Whether what a user typed names the period: its platform name («1 четверть») or its title («I четверть»). */
export function namesPeriod(typed: string, p: PeriodRow, all: readonly PeriodRow[]): boolean {
  const t = norm(typed);
  return t === norm(p.name) || t === norm(periodTitle(p, all));
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
