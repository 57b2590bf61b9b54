import { z } from 'zod';
import { classFilter, ruDate, where } from '../common.js';
import { lastLessonTeacher } from '../period-sql.js';
import { finalMarkAt, lessonAt, structureAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { sql } from '../sql-fragment.js';

/** A period mark dated before the last lesson of its subject in the period. */
export default defineRule({
  id: 'final-mark-early',
  heavy: true,
  title: 'Отметка за период выставлена до последнего урока',
  severity: 'warning',
  audience: ['deputy_director'],
  keyParts: ['mark'],
  usesPeriodTotals: true,
  beforeFirstSync: {
    en: "the period mark's own date against the dates of the period's lessons",
    ru: 'дата отметки за период и даты уроков периода',
  },
  params: z.object({}),
  message: (row) =>
    `Отметка за период «${String(row.extra.period_name ?? '')}» выставлена раньше последнего урока: ${where(row)}, ученик ${row.studentName ?? '—'}, дата отметки ${ruDate(String(row.extra.mark_date ?? ''))}, последний урок ${ruDate(String(row.extra.last_date ?? ''))}`,
  evaluate: (ctx) => {
    // Last live lesson per class, subject and period: from the period totals when the run may
    // read them, else one grouped pass over the lessons.
    // MATERIALIZED: inlined, SQLite searched the periods by period_id for every final mark
    // (~140 rows each, the classes' copies of the period: 4.4 s at 145k final marks).
    const last = ctx.periodTotals
      ? sql`last AS MATERIALIZED (
      SELECT p.source, p.class_id, p.period_id, t.subject_id, t.last_date, p.name, p.finish_date
      FROM reporting_periods p
      JOIN period_subject_totals t ON t.source = p.source AND t.period_row = p.id
      WHERE p.school_id = ${ctx.schoolId} AND ${structureAt('p', ctx)} ${classFilter(ctx, 'p.class_id')})`
      : sql`last AS (
      SELECT p.source, p.class_id, p.period_id, l.subject_id, max(l.date) AS last_date,
        max(p.name) AS name, max(p.finish_date) AS finish_date
      FROM reporting_periods p
      JOIN lessons l ON l.source = p.source AND l.class_id = p.class_id
        AND l.date >= p.start_date AND l.date <= p.finish_date
      WHERE p.school_id = ${ctx.schoolId} AND ${structureAt('p', ctx)} AND ${lessonAt('l', ctx)}
        ${classFilter(ctx, 'p.class_id')}
      GROUP BY p.source, p.class_id, p.period_id, l.subject_id)`;
    const inner = sql`WITH ${last}
    SELECT ${findingColumns(
      {
        src: 'f.source',
        class_id: 'f.class_id',
        subject_id: 'f.subject_id',
        teacher_id: lastLessonTeacher(
          ctx,
          'f.source',
          'f.class_id',
          'f.subject_id',
          'last.last_date',
        ),
        student_id: 'f.student_id',
        mark_id: 'f.id',
        period_id: 'f.period_id',
        date: 'last.finish_date',
      },
      { period_name: 'last.name', mark_date: 'substr(f.date, 1, 10)', last_date: 'last.last_date' },
    )}
    FROM final_marks f
    JOIN last ON last.source = f.source AND last.class_id = f.class_id
      AND last.period_id = f.period_id AND last.subject_id = f.subject_id
    WHERE f.school_id = ${ctx.schoolId} AND ${finalMarkAt('f', ctx, 'absent')} AND f.date IS NOT NULL
      AND substr(f.date, 1, 10) < last.last_date`;
    return queryFindings(ctx, inner);
  },
});
