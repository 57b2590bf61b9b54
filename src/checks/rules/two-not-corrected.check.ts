import { z } from 'zod';
import { classFilter, ruDate, where } from '../common.js';
import { LESSON_ORDER_TABLE, SERIES_OWNER } from '../../mirror/projections/lesson-order.js';
import { lessonAt, markAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { probeEach } from '../probe-each.js';
import { defineRule, type RuleContext } from '../rule.js';
import { inList, joinSql, raw, sql, type Fragment } from '../sql-fragment.js';

/**
 * A «2» not followed by a better mark within the next N lessons of the subject. Each «2» (read
 * from the partial index of unsatisfactory marks, `MARKS_TWOS`) costs a look at its lesson's
 * place in the series and N probes of the student's marks in the next lessons. The places come
 * from `lesson_order` when the run may read the derived tables (`ctx.periodTotals`), else the
 * lessons are numbered here with window functions (LEAD gives the next N lesson ids). A subgroup's
 * lessons are a series of their own (`SERIES_OWNER`); the finding is the class's.
 * Lessons not yet begun as of the run are not "after" the mark: a «2» with fewer than N begun
 * lessons after it is not yet a finding.
 */
export default defineRule({
  id: 'two-not-corrected',
  heavy: true,
  title: 'Неисправленная неудовлетворительная отметка',
  severity: 'info',
  audience: ['class_teacher', 'subject_teacher', 'deputy_director'],
  keyParts: ['mark'],
  beforeFirstSync: {
    en: 'the «2» by its entry moment (without one: not claimed), better marks by theirs (without one: counted as now), lessons by their dates',
    ru: '«2» — по моменту внесения (без него не вменяется), исправляющие отметки — по моменту внесения (без него учитываются), уроки — по их датам',
  },
  usesPeriodTotals: true,
  params: z.object({
    lessons: z.int().min(1).max(20).default(3),
  }),
  message: (row, { params }) =>
    `Отметка «2» не исправлена за ${params.lessons} урока: ${where(row)}, урок ${ruDate(row.date)}, ученик ${row.studentName ?? '—'}`,
  evaluate: (ctx) => queryFindings(ctx, ctx.periodTotals ? fromLessonOrder(ctx) : numbered(ctx)),
});

type Ctx = RuleContext<{ lessons: number }>;

/**
 * No better mark `b` (live as of the run) of the «2»'s student on the next lessons: `from` lists
 * `marks b` and whatever `nextLessons`, the condition on `b.lesson_id`, reads.
 */
function notCorrected(ctx: Ctx, from: Fragment, nextLessons: Fragment): Fragment {
  return sql`NOT EXISTS (
        SELECT 1 FROM ${from}
        WHERE b.source = m.source AND ${nextLessons} AND b.student_id = m.student_id
          AND ${markAt('b', ctx, 'present')} AND b.mark_system = 'mark5' AND b.value IN ${inList(['3', '4', '5'])}${probeEach(ctx.db)})`;
}

/**
 * Every live «2» (`m`, by the partial index) in its series `s` with no better mark on the N
 * lessons after it; then, for those only, the N-th lesson after it has begun. `CROSS JOIN` keeps
 * SQLite's loop order (the «2»s outermost, the lesson last, only for findings). On PostgreSQL the
 * first part is fenced (`OFFSET 0`) so that the begun test probes the few hundred uncorrected
 * «2»s: planned as a semi-join it hashed every begun lesson of the series table, every school's
 * in a municipality's mirror (bench/README.md).
 */
function fromLessonOrder(ctx: Ctx): Fragment {
  const { asOf } = ctx;
  const n = ctx.params.lessons;
  return sql`SELECT ${findingColumns({
    src: 'u.source',
    class_id: 'u.class_id',
    subject_id: 'u.subject_id',
    teacher_id: 'u.teacher_id',
    student_id: 'u.student_id',
    lesson_id: 'u.lesson_id',
    mark_id: 'u.id',
    date: 'u.date',
  })}
    FROM (
      SELECT m.source, m.id, m.student_id, s.lesson_id, s.class_id AS series_id, s.subject_id,
        s.seq, l.class_id, l.teacher_id, l.date
      FROM marks m
      CROSS JOIN ${raw(LESSON_ORDER_TABLE)} s
      CROSS JOIN lessons l
      WHERE m.mark_system = 'mark5' AND m.value = '2' AND ${markAt('m', ctx, 'absent')}${ownSchoolsTwos(ctx)}
        AND s.source = m.source AND s.lesson_id = m.lesson_id AND s.school_id = ${ctx.schoolId}
        ${classFilter(ctx, 'l.class_id')}
        AND ${notCorrected(
          ctx,
          raw(`${LESSON_ORDER_TABLE} z CROSS JOIN marks b`),
          sql`b.lesson_id = z.lesson_id AND z.class_id = s.class_id AND z.subject_id = s.subject_id
          AND z.seq > s.seq AND z.seq <= s.seq + ${n} AND z.source = s.source`,
        )}
        AND l.source = s.source AND l.id = s.lesson_id${probeEach(ctx.db)}) u
    WHERE EXISTS (
      SELECT 1 FROM ${raw(LESSON_ORDER_TABLE)} z
      WHERE z.class_id = u.series_id AND z.subject_id = u.subject_id AND z.seq = u.seq + ${n}
        AND z.source = u.source AND z.day_start_at <= ${asOf}${probeEach(ctx.db)})`;
}

/**
 * PostgreSQL: the school's own «2»s, from the partial index that leads with the school
 * (`MARKS_TWOS_BY_SCHOOL`), not every school's. SQLite holds one school and has no such index:
 * the condition would read each «2»'s row for a column the index lacks.
 */
function ownSchoolsTwos(ctx: Ctx): Fragment {
  return ctx.db.dialect === 'postgres' ? sql` AND m.school_id = ${ctx.schoolId}` : raw('');
}

/** The lessons of each class and subject numbered here: LEAD gives the next N lesson ids. */
function numbered(ctx: Ctx): Fragment {
  const { asOf } = ctx;
  const n = ctx.params.lessons;
  const leads = joinSql(
    Array.from({ length: n }, (_, i) => raw(`LEAD(l.id, ${i + 1}) OVER w AS n${i + 1}`)),
    ', ',
  );
  const nextIds = joinSql(
    Array.from({ length: n }, (_, i) => raw(`s.n${i + 1}`)),
    ', ',
  );
  return sql`WITH seq AS (
      SELECT l.source, l.id, l.class_id, l.subject_id, l.teacher_id, l.date, ${leads}
      FROM lessons l
      WHERE l.school_id = ${ctx.schoolId} AND ${lessonAt('l', ctx)} AND l.day_start_at <= ${asOf}
        ${classFilter(ctx, 'l.class_id')}
      WINDOW w AS (PARTITION BY ${raw(SERIES_OWNER)}, l.subject_id ORDER BY l.date, coalesce(l.number, 0), l.id))
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
    WHERE ${raw(`s.n${n}`)} IS NOT NULL AND ${markAt('m', ctx, 'absent')} AND m.mark_system = 'mark5' AND m.value = '2'
      AND ${notCorrected(ctx, raw('marks b'), sql`b.lesson_id IN (${nextIds})`)}`;
}
