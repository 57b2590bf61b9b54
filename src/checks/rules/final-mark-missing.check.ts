import { z } from 'zod';
import { addDays, dayStart, formatLocal } from '../../platform/time.js';
import { where } from '../common.js';
import { isExempt } from '../exemptions.js';
import { lastLessonTeacher, periodsCte, subjectsCte } from '../period-sql.js';
import { loadPeriods, type PeriodRow } from '../periods.js';
import { enrolledAt, finalMarkAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { probeEach } from '../probe-each.js';
import { defineRule, type RuleContext } from '../rule.js';
import { sql } from '../sql-fragment.js';

/** End of the local day of the order's date for the period, else end of the period's last day. */
export function finalMarkDeadline(
  period: PeriodRow,
  ctx: Pick<RuleContext<unknown>, 'finalMarkDeadlines' | 'zone'>,
): number {
  const ordered = ctx.finalMarkDeadlines[period.name];
  return ordered ? dayStart(addDays(ordered, 1), ctx.zone) : period.endsAt;
}

/** An enrolled, non-exempt student without a period mark after the order's deadline. */
export default defineRule({
  id: 'final-mark-missing',
  heavy: true,
  title: 'Не выставлена отметка за период',
  severity: 'critical',
  audience: ['class_teacher', 'subject_teacher', 'deputy_director'],
  keyParts: ['class', 'student', 'subject', 'period'],
  usesPeriodTotals: true,
  beforeFirstSync: {
    en: 'period marks by their own date (one without a date, there now, counts as given); a student counts in the class only when a mark or an attendance entry dated by then shows them there',
    ru: 'отметка за период — по её дате (без даты, имеющаяся сейчас, считается выставленной); ученик учитывается, только если его отметка или запись посещаемости в классе датирована не позднее даты проверки',
  },
  params: z.object({}),
  message: (row, { zone }) => {
    const deadline = row.deadline === null ? '' : `, срок ${formatLocal(row.deadline, zone)}`;
    return `Не выставлена отметка за период «${String(row.extra.period_name ?? '')}»: ${where(row)}, ученик ${row.studentName ?? '—'}${deadline}`;
  },
  evaluate: async (ctx) => {
    const due = (await loadPeriods(ctx))
      .map((period) => ({ period, numbers: [finalMarkDeadline(period, ctx)] }))
      .filter((p) => ctx.asOf > p.numbers[0]!);
    if (due.length === 0) return [];
    // One probe of the (class, subject, student, period) index of `final_marks` per enrolled
    // student, subject and period (migration 0007; a copy of every final mark cost more).
    const inner = sql`WITH ${periodsCte(due)}, ${subjectsCte(ctx, ctx.periodTotals)}
    SELECT ${findingColumns(
      {
        src: 'ps.source',
        class_id: 'ps.class_id',
        subject_id: 'subj.subject_id',
        teacher_id: lastLessonTeacher(
          ctx,
          'ps.source',
          'ps.class_id',
          'subj.subject_id',
          'subj.last_date',
        ),
        student_id: 'e.person_id',
        period_id: 'ps.period_id',
        date: 'ps.finish_date',
        deadline: 'ps.n1',
      },
      { period_name: 'ps.name', period_start: 'ps.start_date' },
    )}
    FROM subj
    JOIN ps ON ps.prow = subj.prow
    JOIN enrollments e ON e.source = ps.source AND e.class_id = ps.class_id AND e.status = 'active'
    WHERE ${enrolledAt('e', ctx)}
      AND NOT EXISTS (
        SELECT 1 FROM final_marks fm
        WHERE fm.source = ps.source AND fm.class_id = ps.class_id AND fm.subject_id = subj.subject_id
          AND fm.student_id = e.person_id AND fm.period_id = ps.period_id AND ${finalMarkAt('fm', ctx, 'present')}${probeEach(ctx.db)})`;
    const rows = await queryFindings(ctx, inner);
    return rows.filter(
      (r) =>
        !isExempt(ctx.exemptions, {
          studentId: r.studentId,
          subjectId: r.subjectId,
          from: String(r.extra.period_start),
          to: r.date ?? '',
          kinds: ['exempt'],
        }),
    );
  },
});
