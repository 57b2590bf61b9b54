import { z } from 'zod';
import { formatLocal } from '../../platform/time.js';
import {
  classFilter,
  controlKindsParam,
  deadlineOffset,
  hhmm,
  isAbsent,
  ruDate,
  where,
} from '../common.js';
import { isExempt } from '../exemptions.js';
import { attendanceAt, enrolledAt, markAt, workAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { probeEach } from '../probe-each.js';
import { defineRule } from '../rule.js';
import { inList, sql } from '../sql-fragment.js';

/**
 * A student present at a control work who has no mark for it once the checking deadline passed.
 * The students are the class's, or the subgroup's for a subgroup's lesson.
 */
export default defineRule({
  id: 'control-work-unmarked',
  title: 'Нет отметки за контрольную работу',
  severity: 'warning',
  audience: ['subject_teacher', 'deputy_director'],
  keyParts: ['work', 'student'],
  beforeFirstSync: {
    en: 'the control work by its sent date (without one: not claimed); marks by their entry moments and absences by their creation (without one: counted as now); students as for final-mark-missing',
    ru: 'контрольная работа — по дате выдачи (без неё не вменяется); отметки — по моменту внесения, отсутствия — по моменту создания записи (без него учитываются); ученики — как для отметок за период',
  },
  params: z.object({
    deadlineDays: z.int().min(0).max(60).default(7),
    deadlineTime: hhmm.default('12:00'),
    controlKinds: controlKindsParam,
  }),
  message: (row, { zone }) => {
    const deadline = row.deadline === null ? '' : `, срок ${formatLocal(row.deadline, zone)}`;
    return `Нет отметки за контрольную работу «${String(row.extra.work_title ?? '')}»: ${where(row)}, урок ${ruDate(row.date)}, ученик ${row.studentName ?? '—'}${deadline}`;
  },
  evaluate: async (ctx) => {
    const { params: p, asOf } = ctx;
    const deadline = sql`l.day_start_at + ${deadlineOffset(p.deadlineDays, p.deadlineTime)}`;
    // The class's enrolled students, copied once (~3,600 rows in a large school): probing the
    // copy's automatic index beats reading each student's enrollment row again for every work.
    const pairs = sql`WITH en AS MATERIALIZED (
      SELECT e.source, e.class_id, e.person_id FROM enrollments e
      WHERE e.school_id = ${ctx.schoolId} AND e.status = 'active' AND ${enrolledAt('e', ctx)})
    SELECT ${findingColumns(
      {
        src: 'w.source',
        class_id: 'w.class_id',
        subject_id: 'l.subject_id',
        teacher_id: 'l.teacher_id',
        student_id: 'e.person_id',
        lesson_id: 'l.id',
        work_id: 'w.id',
        date: 'l.date',
        deadline,
      },
      { work_title: 'wt.title' },
    )}
    FROM works w
    JOIN work_types wt ON wt.source = w.source AND wt.id = w.work_type_id
    JOIN lessons l ON l.source = w.source AND l.id = w.lesson_id
    JOIN classes c ON c.source = w.source AND c.id = w.class_id
    CROSS JOIN en e
    WHERE w.school_id = ${ctx.schoolId} AND ${workAt('w', ctx, 'absent')} AND wt.kind IN ${inList(p.controlKinds)}
      AND c.grade >= 2 AND ${asOf} > ${deadline}
      -- A subgroup's lesson concerns the subgroup's students only (its enrollments).
      AND e.source = w.source AND e.class_id = coalesce(l.group_id, w.class_id)
      ${classFilter(ctx, 'w.class_id')}
      AND NOT EXISTS (
        SELECT 1 FROM marks m
        WHERE m.source = w.source AND m.work_id = w.id AND m.student_id = e.person_id AND ${markAt('m', ctx, 'present')}${probeEach(ctx.db)})`;
    // The mark first: one probe of (work_id, student_id) settles most pairs; the attendance
    // probe (the partial index of absences) runs only for the unmarked ones. The pairs are a
    // subquery of their own, kept apart on PostgreSQL by OFFSET 0: with both NOT EXISTS in one
    // WHERE it orders them by estimated cost and probed attendance first, for every pair
    // (419,466 probes instead of ~40,000 at 1M marks, bench/checks-pg). SQLite flattens the
    // subquery and probes in the order written, as before.
    const inner = sql`SELECT x.* FROM (${pairs}${probeEach(ctx.db)}) x
    WHERE NOT EXISTS (
        SELECT 1 FROM attendance a
        WHERE a.source = x.src AND a.lesson_id = x.lesson_id AND a.student_id = x.student_id
          AND ${isAbsent('a')} AND ${attendanceAt('a', ctx, 'present')}${probeEach(ctx.db)})`;
    const rows = await queryFindings(ctx, inner);
    return rows.filter(
      (r) =>
        !isExempt(ctx.exemptions, {
          studentId: r.studentId,
          subjectId: r.subjectId,
          from: r.date ?? '',
          to: r.date ?? '',
          kinds: ['exempt'],
        }),
    );
  },
});
