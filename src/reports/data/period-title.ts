import type { PeriodRow } from './periods.js';

/**
 * A period's name as the school writes it in documents: «I четверть», «1 полугодие», «II
 * триместр». The ordinal is the period's place among the class's periods of its type by start
 * date, never the platform's `number` (zero-based on some servers). Unknown types keep the
 * platform's name.
 */
const KINDS: Record<string, { noun: string; roman: boolean }> = {
  quarter: { noun: 'четверть', roman: true },
  trimester: { noun: 'триместр', roman: true },
  half_year: { noun: 'полугодие', roman: false },
  semester: { noun: 'семестр', roman: false },
  module: { noun: 'модуль', roman: false },
};
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

export function periodTitle(p: PeriodRow, all: readonly PeriodRow[]): string {
  const kind = KINDS[p.type];
  if (!kind) return p.name;
  const ordinal =
    all
      .filter((o) => o.type === p.type)
      .sort((a, b) => a.start_date.localeCompare(b.start_date))
      .findIndex((o) => o.period_id === p.period_id) + 1;
  if (ordinal < 1) return p.name;
  const n = kind.roman ? (ROMAN[ordinal - 1] ?? String(ordinal)) : String(ordinal);
  return `${n} ${kind.noun}`;
}

const norm = (s: string): string => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

/** Whether what a user typed names the period: its platform name («1 четверть») or its title («I четверть»). */
export function namesPeriod(typed: string, p: PeriodRow, all: readonly PeriodRow[]): boolean {
  const t = norm(typed);
  return t === norm(p.name) || t === norm(periodTitle(p, all));
}
