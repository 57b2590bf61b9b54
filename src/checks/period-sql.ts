import { lessonAt } from './existence.js';
import type { RuleContextBase } from './rule.js';
import { periodValues, type PeriodRow } from './periods.js';
import { raw, sql, type Fragment } from './sql-fragment.js';

/**
 * SQL pieces shared by the period rules: the chosen periods (with per-period numbers computed in
 * JS) and, per period, the subjects that have a live lesson in it.
 */

/**
 * CTE `ps(prow, pn, source, class_id, period_id, name, start_date, finish_date, n1, n2, ...)` of the
 * given periods, where `n1...` are the numbers passed with each period (deadline, norm, ...) and
 * `pn` numbers the periods 1, 2, ...: an integer key for grouping many rows by period (SQLite
 * sorts a million marks by an integer ~0.5 s faster than by the period's text id).
 */
export function periodsCte(
  periods: readonly { period: PeriodRow; numbers: readonly number[] }[],
): Fragment {
  const width = periods[0]?.numbers.length ?? 0;
  const numberCols = Array.from(
    { length: width },
    (_, i) => `, v.column${i + 2} AS n${i + 1}`,
  ).join('');
  const values = periodValues(
    'v',
    periods.map((p) => ({ rowId: p.period.rowId, numbers: p.numbers })),
  );
  // MATERIALIZED (SQLite >= 3.35, PostgreSQL >= 12): without table statistics SQLite otherwise
  // inlines this CTE at every use and joins enrollments by status only, 60 s instead of 0.6 s at
  // 250,000 marks (bench/checks; EXPLAIN QUERY PLAN in bench/README.md).
  return sql`ps AS MATERIALIZED (
    SELECT p.id AS prow, row_number() OVER (ORDER BY p.source, p.id) AS pn, p.source, p.class_id, p.period_id, p.name, p.start_date, p.finish_date${raw(numberCols)}
    FROM ${values} JOIN reporting_periods p ON p.id = v.column1)`;
}

/**
 * CTE `subj(prow, subject_id, lesson_count, last_date)`: subjects with a live lesson in each
 * period, from `period_subject_totals` when the run may read the period totals (`totals`), else
 * grouped from the lessons.
 */
export function subjectsCte(
  ctx: Pick<RuleContextBase, 'asOf' | 'coverage'>,
  totals: boolean,
): Fragment {
  if (totals) {
    return raw(`subj AS (
    SELECT ps.prow, t.subject_id, t.lessons AS lesson_count, t.last_date
    FROM ps JOIN period_subject_totals t ON t.source = ps.source AND t.period_row = ps.prow)`);
  }
  return sql`subj AS (
    SELECT ps.prow, l.subject_id, count(*) AS lesson_count, max(l.date) AS last_date
    FROM ps JOIN lessons l ON l.source = ps.source AND l.class_id = ps.class_id
      AND l.date >= ps.start_date AND l.date <= ps.finish_date
    WHERE ${lessonAt('l', ctx)}
    GROUP BY ps.prow, l.subject_id)`;
}

/** The teacher of the last live lesson of `subject` in the class on `lastDate` (correlated; output rows only). */
export function lastLessonTeacher(
  ctx: Pick<RuleContextBase, 'asOf' | 'coverage'>,
  source: string,
  classId: string,
  subjectId: string,
  lastDate: string,
): Fragment {
  return sql`(SELECT lt.teacher_id FROM lessons lt
    WHERE lt.source = ${raw(source)} AND lt.class_id = ${raw(classId)} AND lt.subject_id = ${raw(subjectId)}
      AND lt.date = ${raw(lastDate)} AND ${lessonAt('lt', ctx)}
    ORDER BY coalesce(lt.number, 0) DESC, lt.id DESC LIMIT 1)`;
}
