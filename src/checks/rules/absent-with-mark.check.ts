import { z } from 'zod';
import { CELL_MARK, classFilter, isAbsent, ruDate, where } from '../common.js';
import { attendanceAt, markAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { joinEach, probeEach } from '../probe-each.js';
import { defineRule } from '../rule.js';
import { sql } from '../sql-fragment.js';
import { lessonCandidates } from '../lesson-candidates.js';

const STATUS_RU: Record<string, string> = { Absent: 'н', Ill: 'б', Pass: 'п' };

/**
 * «Н» and a mark in the same cell; `Late` counts as present and homework marks are exempt. «н/а»
 * and «осв» are not marks: «н» beside them is no contradiction.
 */
export default defineRule({
  id: 'absent-with-mark',
  heavy: true,
  title: 'Отметка и «н» в одной клетке',
  severity: 'warning',
  audience: ['class_teacher', 'subject_teacher', 'deputy_director'],
  keyParts: ['lesson', 'student'],
  beforeFirstSync: {
    en: "the absence by its entry's creation (createdDate) and the mark by its entry moment; either without one is not claimed",
    ru: 'отсутствие — по моменту создания записи, отметка — по моменту внесения; без них нарушение не вменяется',
  },
  usesPeriodTotals: true,
  params: z.object({}),
  message: (row) =>
    `Отметка у отсутствовавшего ученика («${STATUS_RU[String(row.extra.status)] ?? 'н'}» и отметка в одной клетке): ${where(row)}, урок ${ruDate(row.date)}, ученик ${row.studentName ?? '—'}`,
  evaluate: (ctx) => {
    // The cells first, from the partial index of absences alone (its columns answer every
    // condition: no row read for each of a large school's absences, only for the few with a
    // mark), then their entries read back for the finding's columns (on PostgreSQL one probe per
    // cell: as a join, misestimating the cells, it hashed every absence; bench/README.md). With
    // the per-lesson totals, only the absences of the lessons that hold such a cell.
    const absences = lessonCandidates(ctx, {
      table: 'attendance',
      alias: 'a',
      lessonColumn: 'lesson_id',
    });
    const cells = sql`SELECT DISTINCT a.source, a.lesson_id, a.student_id
    FROM ${absences.from}
    WHERE ${absences.where(sql`t.absent_marked > 0`)}a.school_id = ${ctx.schoolId} AND ${attendanceAt('a', ctx, 'absent')} AND ${isAbsent('a')}
      ${classFilter(ctx, 'a.class_id')}
      AND EXISTS (
        SELECT 1 FROM marks m ${CELL_MARK.joins}
        WHERE m.source = a.source AND m.lesson_id = a.lesson_id AND m.student_id = a.student_id
          AND ${markAt('m', ctx, 'absent')} AND ${CELL_MARK.condition}${probeEach(ctx.db)})`;
    // The same conditions again: a cell could hold two entries (another connector's ids).
    const entry = sql`a.source = k.source AND a.lesson_id = k.lesson_id AND a.student_id = k.student_id
      AND a.school_id = ${ctx.schoolId} AND ${attendanceAt('a', ctx, 'absent')} AND ${isAbsent('a')}
      ${classFilter(ctx, 'a.class_id')}`;
    const inner = sql`SELECT ${findingColumns(
      {
        src: 'a.source',
        class_id: 'a.class_id',
        subject_id: 'coalesce(l.subject_id, a.subject_id)',
        teacher_id: 'l.teacher_id',
        student_id: 'a.student_id',
        lesson_id: 'a.lesson_id',
        date: 'l.date',
      },
      { status: 'a.status' },
    )}
    FROM (${cells}${probeEach(ctx.db)}) k
    ${joinEach(ctx.db, 'attendance', 'a', entry)}
    LEFT JOIN lessons l ON l.source = a.source AND l.id = a.lesson_id`;
    return queryFindings(ctx, inner);
  },
});
