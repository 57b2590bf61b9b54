import { z } from 'zod';
import { formatLocal } from '../../platform/time.js';
import { classFilter, controlKindsParam, deadlineOffset, hhmm, ruDate, where } from '../common.js';
import { markAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { joinEach } from '../probe-each.js';
import { defineRule } from '../rule.js';
import { inList, joinSql, raw, sql, type Fragment } from '../sql-fragment.js';
import { lessonCandidates, totalsKeepControlKinds } from '../lesson-candidates.js';

/**
 * `(m.source, m.work_type_id)` is one of `types`: an OR per source of an IN list of ids.
 * Matches nothing for no types.
 */
function workTypeIn(alias: string, types: readonly { source: string; id: string }[]): Fragment {
  const bySource = new Map<string, string[]>();
  for (const t of types) bySource.set(t.source, [...(bySource.get(t.source) ?? []), t.id]);
  if (bySource.size === 0) return raw('1 = 0');
  const a = raw(alias);
  const parts = [...bySource].map(
    ([source, ids]) => sql`(${a}.source = ${source} AND ${a}.work_type_id IN ${inList(ids)})`,
  );
  return sql`(${joinSql(parts, ' OR ')})`;
}

/**
 * A mark entered after its deadline, by the platform's entry moment (`entered_at`: Dnevnik's
 * `Mark.date`, when the mark was set). When ezh first saw a mark says nothing about when it was
 * entered (a sync interval, a weekend, an outage), so a mark without an entry moment is never
 * claimed late (docs/rules.md).
 */
export default defineRule({
  id: 'mark-late',
  heavy: true,
  usesPeriodTotals: true,
  title: 'Несвоевременное выставление отметок',
  severity: 'warning',
  audience: ['subject_teacher', 'deputy_director'],
  keyParts: ['mark'],
  beforeFirstSync: {
    en: "the mark's entry moment (Mark.date), as the platform stamped it; a mark without one is never claimed late",
    ru: 'момент внесения отметки, записанный платформой (Mark.date); отметка без него опозданием не считается',
  },
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
  evaluate: async (ctx) => {
    const { params: p, asOf } = ctx;
    const written = deadlineOffset(p.writtenDeadlineDays, p.deadlineTime);
    const daily = deadlineOffset(p.deadlineDays, p.deadlineTime);
    // The work kind from the mark's own columns, not a join: the control kinds' work types
    // (a handful of rows) are read first, so that the deadline of a mark in the index below is
    // computed from the index alone.
    const types = sql`SELECT source, id FROM work_types WHERE kind IN ${inList(p.controlKinds)}
      ORDER BY source, id`;
    const controlTypes = await ctx.db.query<{ source: string; id: string }>(
      types.text,
      types.params,
    );
    const isControl = workTypeIn('m', controlTypes);
    const deadline = sql`l.day_start_at + CASE WHEN ${isControl} THEN ${written} ELSE ${daily} END`;
    // Every deadline is at least this long after the lesson's day starts: a mark entered before
    // that is on time whatever its work's kind.
    const earliest = Math.min(written, daily);
    const columns = (entered: string) =>
      findingColumns(
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
    // Lessons outer, and each lesson's marks entered after its earliest deadline read through
    // the partial index `MARKS_ENTERED_BY_LESSON`, which also holds what decides lateness (work
    // type, source, deletion): the table row is read only for a late mark.
    // On PostgreSQL one probe per lesson (joinEach): as a join it read every mark (every
    // school's in a municipality) by a parallel sequential scan.
    const late = sql`m.source = l.source AND m.lesson_id = l.id
      AND m.entered_at IS NOT NULL AND m.entered_at > l.day_start_at + ${earliest}
      AND m.entered_at > ${deadline} AND m.entered_at <= ${asOf} AND ${markAt('m', ctx, 'absent')}`;
    // With the derived tables, only the lessons whose latest mark came after its deadline. They
    // keep control works' marks apart by the platform's control kinds: with other
    // `controlKinds`, a lesson is read when either latest mark came after the earliest deadline.
    const lessons = lessonCandidates(ctx);
    const defaultKinds = totalsKeepControlKinds(p.controlKinds);
    const lateEntry = sql`(t.entry_lag > ${defaultKinds ? daily : earliest}
      OR t.control_entry_lag > ${defaultKinds ? written : earliest})`;
    const enteredLate = sql`SELECT ${columns('m.entered_at')}
    FROM ${lessons.from}
    ${joinEach(ctx.db, 'marks', 'm', late)}
    JOIN classes c ON c.source = m.source AND c.id = m.class_id
    WHERE ${lessons.where(lateEntry)}l.school_id = ${ctx.schoolId} AND c.grade >= 2 ${classFilter(ctx, 'm.class_id')}`;
    return queryFindings(ctx, enteredLate);
  },
});
