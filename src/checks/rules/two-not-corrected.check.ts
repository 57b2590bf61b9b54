import { z } from 'zod';
import { classFilter, live, ruDate, where } from '../common.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { inList, joinSql, raw, sql } from '../sql-fragment.js';

/**
 * A «2» not followed by a better mark within the next N lessons of the subject. The lessons of
 * each class and subject are numbered once with window functions (LEAD gives the next N lesson
 * ids), so each «2» costs N index lookups instead of a scan of the student's marks.
 */
export default defineRule({
  id: 'two-not-corrected',
  title: 'Неисправленная неудовлетворительная отметка',
  severity: 'info',
  audience: ['class_teacher', 'subject_teacher', 'deputy_director'],
  keyParts: ['mark'],
  params: z.object({
    lessons: z.int().min(1).max(20).default(3),
  }),
  message: (row, { params }) =>
    `Отметка «2» не исправлена за ${params.lessons} урока: ${where(row)}, урок ${ruDate(row.date)}, ученик ${row.studentName ?? '—'}`,
  evaluate: (ctx) => {
    const { params: p, asOf } = ctx;
    const n = p.lessons;
    const leads = joinSql(
      Array.from({ length: n }, (_, i) => raw(`LEAD(l.id, ${i + 1}) OVER w AS n${i + 1}`)),
      ', ',
    );
    const nextIds = joinSql(
      Array.from({ length: n }, (_, i) => raw(`s.n${i + 1}`)),
      ', ',
    );
    const inner = sql`WITH seq AS (
      SELECT l.source, l.id, l.class_id, l.subject_id, l.teacher_id, l.date, ${leads}
      FROM lessons l
      WHERE l.school_id = ${ctx.schoolId} AND ${live('l', asOf)} AND l.day_start_at <= ${asOf}
        ${classFilter(ctx, 'l.class_id')}
      WINDOW w AS (PARTITION BY l.class_id, l.subject_id ORDER BY l.date, coalesce(l.number, 0), l.id))
    SELECT ${findingColumns({
      src: 'm.source',
      class_id: 's.class_id',
      subject_id: 's.subject_id',
      teacher_id: 's.teacher_id',
      student_id: 'm.student_id',
      lesson_id: 's.id',
      mark_id: 'm.id',
      date: 's.date',
    })}
    FROM seq s
    JOIN marks m ON m.source = s.source AND m.lesson_id = s.id
    WHERE ${raw(`s.n${n}`)} IS NOT NULL AND ${live('m', asOf)} AND m.mark_system = 'mark5' AND m.value = '2'
      AND NOT EXISTS (
        SELECT 1 FROM marks b
        WHERE b.source = m.source AND b.lesson_id IN (${nextIds}) AND b.student_id = m.student_id
          AND ${live('b', asOf)} AND b.mark_system = 'mark5' AND b.value IN ${inList(['3', '4', '5'])})`;
    return queryFindings(ctx, inner);
  },
});
