import { z } from 'zod';
import { raw, sql, inList, type Fragment } from './sql-fragment.js';
import type { RuleContext } from './rule.js';
import { CONTROL_WORK_KINDS } from '../connectors/work-kinds.js';

// The mark vocabulary lives with the mirror (its projections count marks the same way).
export {
  CELL_MARK,
  CURRENT_MARK,
  FINAL_WORK_TYPES,
  gradedMark,
  NOT_A_MARK_SYSTEMS,
  NOT_CURRENT_SETS,
  NUMERIC_VALUES,
  numericMark,
} from '../mirror/mark-sql.js';

/** Shared vocabulary of the rules (docs/rules.md, "Common definitions"). */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:mm');

/** `12:00` → milliseconds after local midnight. */
export function timeOfDayMs(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * HOUR_MS + (m ?? 0) * MINUTE_MS;
}

/** Offset of `D(l; days, hh:mm)` from the lesson's `day_start_at` (Russian zones have no DST). */
export function deadlineOffset(days: number, time: string): number {
  return days * DAY_MS + timeOfDayMs(time);
}

/** `controlKinds` default of the rules: the platform's kinds of control works. */
export const DEFAULT_CONTROL_KINDS: string[] = [...CONTROL_WORK_KINDS];

export const controlKindsParam = z.array(z.string().min(1)).default(DEFAULT_CONTROL_KINDS);

// Absences are told apart with the mirror (its projections count them the same way).
export { isAbsent } from '../mirror/attendance-sql.js';

// Trimming lives with the mirror (its projections measure homework texts the same way).
export { trimmed, trimText, WHITESPACE } from '../mirror/text-sql.js';

/** Exists at `A`: seen by then and not deleted by then. */
export function live(alias: string, asOf: number): Fragment {
  const a = raw(alias);
  return sql`${a}.first_seen_at <= ${asOf} AND (${a}.deleted_at IS NULL OR ${a}.deleted_at > ${asOf})`;
}

/** ` AND <column> IN (...)` when the run is limited to some classes, else nothing. */
export function classFilter(ctx: RuleContext<unknown>, column: string): Fragment {
  if (ctx.classIds === null) return raw('');
  return sql` AND ${raw(column)} IN ${inList(ctx.classIds)}`;
}

/** `YYYY-MM-DD` → `DD.MM.YYYY` for Russian messages. */
export function ruDate(date: string | null): string {
  if (!date) return '—';
  const [y, m, d] = date.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** Class and subject for the start of a message: `5А, Математика`. */
export function where(row: { className: string | null; subjectName: string | null }): string {
  return [row.className ?? 'класс ?', row.subjectName].filter(Boolean).join(', ');
}
