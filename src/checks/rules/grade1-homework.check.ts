import { z } from 'zod';
import { classFilter, ruDate, trimmed, where } from '../common.js';
import { workAt } from '../existence.js';
import { joinEach, leftJoinEach } from '../probe-each.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { sql } from '../sql-fragment.js';

/** Homework is forbidden in grade 1 (letter № 2021/11-13 of 25.09.2000). */
export default defineRule({
  id: 'grade1-homework',
  title: 'Домашнее задание в 1 классе',
  severity: 'critical',
  audience: ['deputy_director', 'class_teacher'],
  keyParts: ['work'],
  beforeFirstSync: {
    en: "the homework's sent date (Work.sentDate); homework without one is not claimed",
    ru: 'дата выдачи задания (sentDate); задание без неё не вменяется',
  },
  params: z.object({}),
  message: (row) => `Домашнее задание в 1 классе: ${where(row)}, урок ${ruDate(row.date)}`,
  evaluate: (ctx) => {
    const inner = sql`SELECT ${findingColumns({
      src: 'w.source',
      class_id: 'w.class_id',
      subject_id: 'coalesce(l.subject_id, w.subject_id)',
      teacher_id: 'l.teacher_id',
      lesson_id: 'w.lesson_id',
      work_id: 'w.id',
      date: 'coalesce(l.date, substr(w.target_date, 1, 10))',
    })}
    FROM classes c
    ${joinEach(ctx.db, 'works', 'w', sql`w.source = c.source AND w.class_id = c.id AND w.type = 'Homework'`)}
    ${leftJoinEach(ctx.db, 'lessons', 'l', sql`l.source = w.source AND l.id = w.lesson_id`)}
    WHERE c.school_id = ${ctx.schoolId} AND c.grade = 1 AND ${workAt('w', ctx, 'absent')}
      AND length(${trimmed('w.text')}) > 0
      ${classFilter(ctx, 'w.class_id')}`;
    return queryFindings(ctx, inner);
  },
});
