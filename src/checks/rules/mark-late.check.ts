import { z } from 'zod';
import { formatLocal } from '../../platform/time.js';
import {
  classFilter,
  controlKindsParam,
  deadlineOffset,
  hhmm,
  live,
  ruDate,
  where,
} from '../common.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { inList, sql } from '../sql-fragment.js';

/**
 * A mark entered after its deadline. The entry moment is the platform's `entered_at` when the
 * connector gives it, else when the mirror first saw the mark; in that case lateness is only
 * knowable when the mirror already watched the lesson before the deadline.
 */
export default defineRule({
  id: 'mark-late',
  title: 'Несвоевременное выставление отметок',
  severity: 'warning',
  audience: ['subject_teacher', 'deputy_director'],
  keyParts: ['mark'],
  params: z.object({
    deadlineDays: z.int().min(0).max(60).default(1),
    deadlineTime: hhmm.default('12:00'),
    /** Marks for written/control work kinds get this many days instead. */
    writtenDeadlineDays: z.int().min(0).max(60).default(7),
    controlKinds: controlKindsParam,
  }),
  message: (row, { zone }) => {
    const deadline = row.deadline === null ? '—' : formatLocal(row.deadline, zone);
    const entered =
      typeof row.extra.entered === 'number' ? formatLocal(row.extra.entered, zone) : '—';
    return `Отметка выставлена с опозданием: ${where(row)}, урок ${ruDate(row.date)}, срок ${deadline}, внесена ${entered}, ученик ${row.studentName ?? '—'}`;
  },
  evaluate: (ctx) => {
    const { params: p, asOf } = ctx;
    const deadline = sql`l.day_start_at + CASE WHEN wt.kind IN ${inList(p.controlKinds)}
      THEN ${deadlineOffset(p.writtenDeadlineDays, p.deadlineTime)}
      ELSE ${deadlineOffset(p.deadlineDays, p.deadlineTime)} END`;
    const entered = sql`coalesce(m.entered_at, m.first_seen_at)`;
    // Every deadline is at least this long after the lesson's day starts: a mark entered before
    // that is on time whatever its work's kind, so most marks never reach the work type lookup.
    const earliest = Math.min(
      deadlineOffset(p.writtenDeadlineDays, p.deadlineTime),
      deadlineOffset(p.deadlineDays, p.deadlineTime),
    );
    const columns = findingColumns(
      {
        src: 'm.source',
        class_id: 'm.class_id',
        subject_id: 'l.subject_id',
        teacher_id: 'l.teacher_id',
        student_id: 'm.student_id',
        lesson_id: 'l.id',
        mark_id: 'm.id',
        date: 'l.date',
        deadline,
      },
      { entered, value: 'm.value' },
    );
    const late = sql`${live('m', asOf)} AND c.grade >= 2 ${classFilter(ctx, 'm.class_id')}
      AND ${entered} <= ${asOf} AND ${entered} > ${deadline}
      AND (m.entered_at IS NOT NULL OR l.first_seen_at <= ${deadline})`;
    // Marks without the platform's entry moment (every Dnevnik mark): lessons outer, and each
    // lesson's marks seen after its earliest deadline read through the (lesson_id,
    // first_seen_at) index; the others' rows are never read (bench/checks, 1,000,000 marks:
    // 0.6 s instead of 1.1 s for a probe of the lesson from every mark).
    const seenLate = sql`SELECT ${columns}
    FROM lessons l
    CROSS JOIN marks m
    JOIN classes c ON c.source = m.source AND c.id = m.class_id
    LEFT JOIN work_types wt ON wt.source = m.source AND wt.id = m.work_type_id
    WHERE l.school_id = ${ctx.schoolId} AND m.source = l.source AND m.lesson_id = l.id
      AND m.first_seen_at > l.day_start_at + ${earliest} AND m.entered_at IS NULL AND ${late}`;
    // Marks with it: through the partial index of such marks (empty for Dnevnik).
    const enteredLate = sql`SELECT ${columns}
    FROM marks m
    JOIN lessons l ON l.source = m.source AND l.id = m.lesson_id
    JOIN classes c ON c.source = m.source AND c.id = m.class_id
    LEFT JOIN work_types wt ON wt.source = m.source AND wt.id = m.work_type_id
    WHERE m.school_id = ${ctx.schoolId} AND m.entered_at IS NOT NULL
      AND m.entered_at > l.day_start_at + ${earliest} AND ${late}`;
    const inner = sql`${seenLate} UNION ALL ${enteredLate}`;
    return queryFindings(ctx, inner);
  },
});
