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
import { lessonCandidates, totalsKeepControlKinds } from '../lesson-candidates.js';
import { inList, sql, type Fragment } from '../sql-fragment.js';

/**
 * A student present at a control work who has no mark for it once the checking deadline passed.
 * The students are the class's, or the subgroup's for a subgroup's lesson.
 */
export default defineRule({
  id: 'control-work-unmarked',
  heavy: true,
  title: 'Нет отметки за контрольную работу',
  severity: 'warning',
  audience: ['subject_teacher', 'deputy_director'],
  keyParts: ['work', 'student'],
  beforeFirstSync: {
    en: 'the control work by its sent date (without one: not claimed); marks by their entry moments and absences by their creation (without one: counted as now); students as for final-mark-missing',
    ru: 'контрольная работа — по дате выдачи (без неё не вменяется); отметки — по моменту внесения, отсутствия — по моменту создания записи (без него учитываются); ученики — как для отметок за период',
  },
  usesPeriodTotals: true,
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
    // The school's control work types, read first: named as ids, the works' filter is estimated
    // from their statistics (through a join to `work_types` PostgreSQL overestimated the control
    // works many times over and hashed every lesson to join them; bench/README.md).
    const kinds = sql`SELECT DISTINCT id FROM work_types WHERE kind IN ${inList(p.controlKinds)}`;
    const typeIds = (await ctx.db.query<{ id: string }>(kinds.text, kinds.params)).map((r) => r.id);
    if (typeIds.length === 0) return [];
    const deadline = sql`l.day_start_at + ${deadlineOffset(p.deadlineDays, p.deadlineTime)}`;
    // The class's enrolled students, copied once (~3,600 rows in a large school): probing the
    // copy's automatic index beats reading each student's enrollment row again for every work.
    const en = sql`en AS MATERIALIZED (
      SELECT e.source, e.class_id, e.person_id FROM enrollments e
      WHERE e.school_id = ${ctx.schoolId} AND e.status = 'active' AND ${enrolledAt('e', ctx)})`;
    // With the per-lesson totals (and the control kinds they keep), only the works of the lessons
    // that count an unmarked student present at a control work; each is still checked in full.
    const candidates = lessonCandidates(
      {
        schoolId: ctx.schoolId,
        periodTotals: ctx.periodTotals && totalsKeepControlKinds(p.controlKinds),
      },
      { table: 'works', alias: 'w', lessonColumn: 'lesson_id' },
    );
    const works = sql`${candidates.from}
    JOIN work_types wt ON wt.source = w.source AND wt.id = w.work_type_id
    JOIN lessons l ON l.source = w.source AND l.id = w.lesson_id
    JOIN classes c ON c.source = w.source AND c.id = w.class_id`;
    const worksWhere = sql`${candidates.where(sql`t.control_unmarked > 0`)}w.school_id = ${ctx.schoolId} AND ${workAt('w', ctx, 'absent')}
      AND w.work_type_id IN ${inList(typeIds)} AND wt.kind IN ${inList(p.controlKinds)}
      AND c.grade >= 2 AND ${asOf} > ${deadline}
      ${classFilter(ctx, 'w.class_id')}`;
    type Columns = Record<'w' | 'lesson' | 'subject' | 'teacher' | 'date' | 'title', string>;
    const columns = (c: Columns & { deadline: string | Fragment }) =>
      findingColumns(
        {
          src: `${c.w}.source`,
          class_id: `${c.w}.class_id`,
          subject_id: c.subject,
          teacher_id: c.teacher,
          student_id: 'e.person_id',
          lesson_id: c.lesson,
          work_id: `${c.w}.id`,
          date: c.date,
          deadline: c.deadline,
        },
        { work_title: c.title },
      );
    // A subgroup's lesson concerns the subgroup's students only (its enrollments).
    const pairs =
      ctx.db.dialect === 'postgres'
        ? // Each work's marked students in one read of the marks index (an array), then its
          // roster's students not in it: one index descent per work instead of one per (work,
          // student) pair (a work has a class of them; bench/README.md).
          sql`WITH ${en}, cw AS (
      SELECT w.source, w.class_id, w.id, coalesce(l.group_id, w.class_id) AS roster_id,
        l.subject_id, l.teacher_id, l.id AS lesson_id, l.date, ${deadline} AS deadline,
        wt.title AS work_title, mk.marked
      FROM ${works}
      CROSS JOIN LATERAL (
        SELECT array_agg(m.student_id) AS marked FROM marks m
        WHERE m.source = w.source AND m.work_id = w.id AND ${markAt('m', ctx, 'present')}) mk
      WHERE ${worksWhere} OFFSET 0)
    SELECT ${columns({ w: 'cw', lesson: 'cw.lesson_id', subject: 'cw.subject_id', teacher: 'cw.teacher_id', date: 'cw.date', deadline: 'cw.deadline', title: 'cw.work_title' })}
    FROM cw JOIN en e ON e.source = cw.source AND e.class_id = cw.roster_id
    WHERE NOT (e.person_id = ANY (coalesce(cw.marked, '{}')))`
        : sql`WITH ${en}
    SELECT ${columns({ w: 'w', lesson: 'l.id', subject: 'l.subject_id', teacher: 'l.teacher_id', date: 'l.date', deadline, title: 'wt.title' })}
    FROM ${works}
    CROSS JOIN en e
    WHERE ${worksWhere}
      AND e.source = w.source AND e.class_id = coalesce(l.group_id, w.class_id)
      AND NOT EXISTS (
        SELECT 1 FROM marks m
        WHERE m.source = w.source AND m.work_id = w.id AND m.student_id = e.person_id AND ${markAt('m', ctx, 'present')})`;
    // The mark first, then the attendance probe (the partial index of absences) for the unmarked
    // pairs only. The pairs are a subquery of their own, kept apart on PostgreSQL by OFFSET 0:
    // with both conditions in one WHERE it orders them by estimated cost and probed attendance
    // first, for every pair (bench/checks-pg). SQLite flattens the subquery and probes in the
    // order written.
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
