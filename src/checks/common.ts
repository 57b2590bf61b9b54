import { z } from 'zod';
import { raw, sql, inList, type Fragment } from './sql-fragment.js';
import type { RuleContext } from './rule.js';

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

export const DEFAULT_CONTROL_KINDS = [
  'LessonControlWork',
  'LessonAdministrativeControlWork',
  'LessonFinalControlWork',
  'LessonControlDictation',
  'LessonFinalControlDictation',
  'LessonDiagnosticCut',
  'LessonTest',
  'LessonTestWork',
  'LessonLaboratoryWork',
  'LessonPracticalWork',
  'LessonComposition',
  'LessonEssay',
  'LessonExposition',
  'LessonExpositionComposition',
  'LessonThematicWork',
];

export const controlKindsParam = z.array(z.string().min(1)).default(DEFAULT_CONTROL_KINDS);

export const NUMERIC_VALUES = ['1', '2', '3', '4', '5'];
const ABSENT_STATUSES = ['Absent', 'Ill', 'Pass'];

/**
 * `a.status IN ('Absent', 'Ill', 'Pass')` with the statuses as SQL literals, not bound
 * parameters: only then can SQLite see that the query implies the condition of the partial index
 * of absences (`ATTENDANCE_ABSENCES` in src/mirror/tables.ts) and read ~6 % of attendance instead
 * of all of it.
 */
export function isAbsent(alias: string): Fragment {
  return raw(`${alias}.status IN (${ABSENT_STATUSES.map((s) => `'${s}'`).join(', ')})`);
}

/**
 * Whitespace removed by `trim(x, ?)` in SQL and by `trimText` in JS, so both agree on a text's
 * trimmed length (SQL's plain `trim(x)` removes spaces only).
 */
export const WHITESPACE =
  ' \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

export function trimText(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.includes(text[start]!)) start++;
  while (end > start && WHITESPACE.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** `trim(expr, WHITESPACE)`: same syntax on SQLite and PostgreSQL. */
export function trimmed(expr: string): Fragment {
  return sql`trim(${raw(expr)}, ${WHITESPACE})`;
}

/** Exists at `A`: seen by then and not deleted by then. */
export function live(alias: string, asOf: number): Fragment {
  const a = raw(alias);
  return sql`${a}.first_seen_at <= ${asOf} AND (${a}.deleted_at IS NULL OR ${a}.deleted_at > ${asOf})`;
}

/** A numeric five-point mark (`н/а`, `осв`, pass/fail are not). */
export function numericMark(alias: string): Fragment {
  const a = raw(alias);
  return sql`${a}.mark_system = 'mark5' AND ${a}.value IN ${inList(NUMERIC_VALUES)}`;
}

/**
 * Mark systems that are not marks: «н/а» (`markna`, не аттестован) and «осв» (`markdismiss`,
 * освобождён). They stand in a journal cell but grade nothing: they never count towards the
 * number of marks, never enter an average and never make a cell «н and a mark».
 */
export const NOT_A_MARK_SYSTEMS = ['markna', 'markdismiss'];

/** `m` grades the student (any scale, pass/fail included): not «н/а» or «осв». */
export function gradedMark(alias: string): Fragment {
  const a = raw(alias);
  return sql`(${a}.mark_system IS NULL OR ${a}.mark_system NOT IN ${raw(
    `(${NOT_A_MARK_SYSTEMS.map((s) => `'${s}'`).join(', ')})`,
  )})`;
}

/** Works that hold final marks, not current ones: period, year/final and exam marks (reference §7). */
export const FINAL_WORK_TYPES = ['PeriodMark', 'PeriodFinalMark', 'Exam'];
const FINAL_WORK_TYPES_SQL = `(${FINAL_WORK_TYPES.map((t) => `'${t}'`).join(', ')})`;

/**
 * CTEs `fwt(source, id)` (final work types) and `pmw(source, id)` (works of final marks): the small
 * sets that make a mark not current. Probing them (an automatic index on a MATERIALIZED CTE) is
 * far cheaper than joining every mark to `works` and `work_types` (bench/checks: ~1 s of 1M marks).
 */
export const NOT_CURRENT_SETS = raw(`fwt AS MATERIALIZED (
      SELECT source, id FROM work_types WHERE is_final = 1),
    pmw AS MATERIALIZED (
      SELECT source, id FROM works WHERE type IN ${FINAL_WORK_TYPES_SQL})`);

/**
 * A current mark `m`: not on a final work type (`is_final = 1`) and not on a work of a final
 * mark (`PeriodMark`, `PeriodFinalMark`, `Exam`).
 * Expects the CTEs of `NOT_CURRENT_SETS`.
 */
export const CURRENT_MARK = raw(
  `NOT EXISTS (SELECT 1 FROM fwt WHERE fwt.source = m.source AND fwt.id = m.work_type_id)
        AND NOT EXISTS (SELECT 1 FROM pmw WHERE pmw.source = m.source AND pmw.id = m.work_id)`,
);

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
