import { z } from 'zod';
import { classFilter, CURRENT_MARK, live, numericMark, where } from '../common.js';
import { lastLessonTeacher } from '../period-sql.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { raw, sql } from '../sql-fragment.js';

/** Boundaries of 3, 4 and 5 per rounding profile (compliance-rules §1.3). */
export const ROUNDING_PROFILES = {
  math: [2.5, 3.5, 4.5],
  lyceum: [2.6, 3.6, 4.65],
  strict: [2.65, 3.65, 4.65],
} as const;

/**
 * A period mark that differs from the one the student's (weighted) average of current marks
 * gives. The averages are one grouped pass over the marks (lessons placed in periods, then
 * marks), joined to the final marks; the boundary test avoids division: `Σv·w ≥ t·Σw − 1e-9`.
 */
export default defineRule({
  id: 'final-mark-objectivity',
  title: 'Необъективность отметки за период',
  severity: 'warning',
  audience: ['deputy_director'],
  keyParts: ['mark'],
  params: z.object({
    profile: z.enum(['math', 'lyceum', 'strict']).default('math'),
    /** Weighted by work type weight (null weight → 1), or a plain average. */
    weighted: z.boolean().default(true),
  }),
  message: (row) => {
    const avg = (Number(row.extra.sum) / Number(row.extra.weight)).toFixed(2).replace('.', ',');
    return `Отметка за период «${String(row.extra.period_name ?? '')}» не соответствует среднему баллу: ${where(row)}, ученик ${row.studentName ?? '—'}: выставлено ${String(row.extra.value)}, средний балл ${avg} → ${String(row.extra.expected)}`;
  },
  evaluate: (ctx) => {
    const { params: p, asOf } = ctx;
    const [t3, t4, t5] = ROUNDING_PROFILES[p.profile];
    const weight = p.weighted
      ? raw('coalesce(wt.weight, CAST(1 AS double precision))')
      : raw('CAST(1 AS double precision)');
    const reaches = (t: number) => sql`agg.sw >= ${t} * agg.w - 1e-9`;
    const expected = sql`CASE WHEN ${reaches(t5)} THEN 5 WHEN ${reaches(t4)} THEN 4 WHEN ${reaches(t3)} THEN 3 ELSE 2 END`;
    // Lessons are placed in their periods first (one row per lesson, MATERIALIZED), then the
    // marks joined to them: joining each mark to the periods made SQLite without table statistics
    // search reporting_periods by source only, per mark (bench/checks: 3x faster at 250k marks).
    const inner = sql`WITH lp AS MATERIALIZED (
      SELECT l.source, l.id, l.class_id, l.subject_id, l.date, p.period_id, p.name, p.finish_date
      FROM reporting_periods p
      JOIN lessons l ON l.source = p.source AND l.class_id = p.class_id
        AND l.date >= p.start_date AND l.date <= p.finish_date
      WHERE p.school_id = ${ctx.schoolId} AND ${live('p', asOf)}
        ${classFilter(ctx, 'p.class_id')}),
    agg AS (
      SELECT lp.source, lp.class_id, lp.subject_id, m.student_id, lp.period_id,
        max(lp.name) AS name, max(lp.finish_date) AS finish_date, max(lp.date) AS last_date,
        sum(CAST(m.value AS integer) * ${weight}) AS sw, sum(${weight}) AS w
      FROM lp
      JOIN marks m ON m.source = lp.source AND m.lesson_id = lp.id
      LEFT JOIN work_types wt ON wt.source = m.source AND wt.id = m.work_type_id
      LEFT JOIN works w ON w.source = m.source AND w.id = m.work_id
      WHERE m.school_id = ${ctx.schoolId} AND ${live('m', asOf)}
        AND ${numericMark('m')} AND m.counts_in_average = 1 AND ${CURRENT_MARK}
      GROUP BY lp.source, lp.class_id, lp.subject_id, m.student_id, lp.period_id)
    SELECT ${findingColumns(
      {
        src: 'f.source',
        class_id: 'f.class_id',
        subject_id: 'f.subject_id',
        teacher_id: lastLessonTeacher(
          asOf,
          'f.source',
          'f.class_id',
          'f.subject_id',
          'agg.last_date',
        ),
        student_id: 'f.student_id',
        mark_id: 'f.id',
        period_id: 'f.period_id',
        date: 'agg.finish_date',
      },
      { period_name: 'agg.name', value: 'f.value', sum: 'agg.sw', weight: 'agg.w', expected },
    )}
    FROM final_marks f
    JOIN agg ON agg.source = f.source AND agg.class_id = f.class_id AND agg.subject_id = f.subject_id
      AND agg.student_id = f.student_id AND agg.period_id = f.period_id
    WHERE f.school_id = ${ctx.schoolId} AND ${live('f', asOf)} AND ${numericMark('f')}
      AND f.value <> CAST(${expected} AS text)`;
    return queryFindings(ctx, inner);
  },
});
