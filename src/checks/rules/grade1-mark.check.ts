import { z } from 'zod';
import { instantToLocalDate } from '../../platform/time.js';
import { classFilter, ruDate, where } from '../common.js';
import { markAt } from '../existence.js';
import { joinEach, leftJoinEach } from '../probe-each.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { sql } from '../sql-fragment.js';

/** Grade 1 is «безотметочное»: any mark there is an error (letter № 2021/11-13 of 25.09.2000). */
export default defineRule({
  id: 'grade1-mark',
  title: 'Отметки в 1 классе (безотметочное обучение)',
  severity: 'critical',
  audience: ['deputy_director', 'class_teacher'],
  keyParts: ['mark'],
  beforeFirstSync: {
    en: "the mark's entry moment (Mark.date); a mark without one is not claimed",
    ru: 'момент внесения отметки (Mark.date); отметка без него не вменяется',
  },
  params: z.object({}),
  message: (row) =>
    `Отметка «${String(row.extra.value ?? '')}» в 1 классе: ${where(row)}, ${ruDate(row.date)}, ученик ${row.studentName ?? '—'}`,
  // Each grade-1 class's marks, and their lessons, by index (`joinEach`): PostgreSQL expects as many
  // marks in grade 1 as in any class, where there should be none, and read every mark of the
  // school (a parallel scan of the table) and every lesson for the few it finds.
  evaluate: async (ctx) => {
    const inner = sql`SELECT ${findingColumns(
      {
        src: 'm.source',
        class_id: 'm.class_id',
        subject_id: 'coalesce(l.subject_id, m.subject_id)',
        teacher_id: 'l.teacher_id',
        student_id: 'm.student_id',
        lesson_id: 'm.lesson_id',
        mark_id: 'm.id',
        date: 'l.date',
      },
      { value: 'm.value', entered: 'm.entered_at' },
    )}
    FROM classes c
    ${joinEach(ctx.db, 'marks', 'm', sql`m.source = c.source AND m.class_id = c.id`)}
    ${leftJoinEach(ctx.db, 'lessons', 'l', sql`l.source = m.source AND l.id = m.lesson_id`)}
    WHERE c.school_id = ${ctx.schoolId} AND c.grade = 1 AND ${markAt('m', ctx, 'absent')}
      ${classFilter(ctx, 'm.class_id')}`;
    // A mark without a lesson is dated by the school-local day of its entry moment: the
    // platform's `Mark.date` text is UTC, and its first ten characters name another day for a
    // mark set before 03:00 Moscow time.
    return (await queryFindings(ctx, inner)).map((r) => ({
      ...r,
      date:
        r.date ??
        (r.extra.entered === null || r.extra.entered === undefined
          ? null
          : instantToLocalDate(Number(r.extra.entered), ctx.zone)),
    }));
  },
});
