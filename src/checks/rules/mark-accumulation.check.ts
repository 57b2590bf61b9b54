import { z } from 'zod';
import { flatNorm, hoursNorm } from '../accumulation-norm.js';
import { CURRENT_MARK, gradedMark, NOT_CURRENT_SETS, where } from '../common.js';
import { isExempt } from '../exemptions.js';
import { lastLessonTeacher, periodsCte, subjectsCte } from '../period-sql.js';
import { loadPeriods, type PeriodRow } from '../periods.js';
import { enrolledAt, lessonAt, markAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { leftJoinEach } from '../probe-each.js';
import { defineRule, type FindingRow, type RuleContext } from '../rule.js';
import { raw, sql } from '../sql-fragment.js';

const params = z.object({
  /** `flat`: a norm per period type; `byHours`: by weekly hours of the subject (1 → 3, 2 → 5, ≥3 → 7). */
  mode: z.enum(['flat', 'byHours']).default('flat'),
  /** Quarter, trimester, module. */
  quarter: z.int().min(0).default(3),
  /** Half-year, semester. */
  halfYear: z.int().min(0).default(5),
  byHours: z
    .strictObject({
      one: z.int().min(0).default(3),
      two: z.int().min(0).default(5),
      threeOrMore: z.int().min(0).default(7),
    })
    .prefault({}),
});
type Params = z.output<typeof params>;

function periodDays(period: PeriodRow): number {
  return (
    Math.round(
      (Date.parse(`${period.finish}T00:00:00Z`) - Date.parse(`${period.start}T00:00:00Z`)) /
        86_400_000,
    ) + 1
  );
}

/**
 * Fewer current marks than the norm for an ended period. Marks are counted in one grouped pass
 * (lessons placed in periods first, then their marks), never per student. In `byHours` mode, weekly hours are
 * round(lessons ÷ (days ÷ 7)) with halves rounded up; compared without division as
 * `14·lessons ≥ (2h−1)·days`, so both engines round identically.
 */
export default defineRule({
  id: 'mark-accumulation',
  heavy: true,
  title: 'Недостаточная накопляемость отметок',
  severity: 'warning',
  audience: ['class_teacher', 'subject_teacher', 'deputy_director'],
  keyParts: ['class', 'student', 'subject', 'period'],
  beforeFirstSync: {
    en: "current marks by their entry moments (one without it, there now, counts); students as for final-mark-missing; by hours, a subgroup's lessons count for its members as they are enrolled (before the first sync no entry dates a membership: only the whole class's lessons count, a lower norm, never a higher one)",
    ru: 'текущие отметки — по моменту внесения (без него, имеющиеся сейчас, учитываются); ученики — как для отметок за период; по часам — уроки подгруппы учитываются её участникам по зачислению (до первой синхронизации членство в подгруппе ничем не датировано: учитываются только уроки всего класса, норма ниже, но не выше)',
  },
  usesPeriodTotals: true,
  params,
  message: (row) =>
    `Недостаточно отметок за период «${String(row.extra.period_name ?? '')}»: ${where(row)}, ученик ${row.studentName ?? '—'}: ${Number(row.extra.marks)} при норме ${Number(row.extra.norm)}`,
  evaluate: async (ctx) => {
    const { params: p, asOf } = ctx;
    const ended = (await loadPeriods(ctx)).filter((period) => asOf >= period.endsAt);
    const chosen = ended
      .map((period) => ({ period, numbers: [flatNorm(period.type, p) ?? -1, periodDays(period)] }))
      .filter((x) => p.mode === 'byHours' || x.numbers[0]! >= 0);
    if (chosen.length === 0) return [];
    // byHours: each student's norm comes from his own lessons (underOwnNorm, below). The query
    // keeps the counts under the norm of all the class's lessons of the subject, every subgroup's
    // included: a student attends at most those, so (norms rising with hours, as configured by
    // default) his own norm is no higher. Norms that do not rise: every count under the highest.
    const byHours = p.mode === 'byHours';
    const h = p.byHours;
    const norm = !byHours
      ? raw('ps.n1')
      : h.one <= h.two && h.two <= h.threeOrMore
        ? sql`CASE WHEN 14 * subj.lesson_count >= 5 * ps.n2 THEN ${h.threeOrMore}
            WHEN 14 * subj.lesson_count >= 3 * ps.n2 THEN ${h.two}
            WHEN 14 * subj.lesson_count >= ps.n2 THEN ${h.one} ELSE 0 END`
        : sql`${Math.max(h.one, h.two, h.threeOrMore)}`;
    // Marks per period, subject and student: read from the totals the sync keeps when they hold
    // the mirror as of the run, else counted here in one grouped pass.
    const totals = ctx.periodTotals;
    const counts = totals
      ? raw('')
      : sql`lp AS MATERIALIZED (
      SELECT l.source, l.id, ps.pn, l.subject_id
      FROM ps JOIN lessons l ON l.source = ps.source AND l.class_id = ps.class_id
        AND l.date >= ps.start_date AND l.date <= ps.finish_date),
    ${NOT_CURRENT_SETS},
    cnt AS (
      SELECT lp.pn, lp.subject_id, m.student_id, count(*) AS n
      FROM marks m
      -- CROSS JOIN keeps marks the outer loop in SQLite (a sequential scan, not a search per
      -- lesson with a random read per mark); PostgreSQL plans it as the inner join it is.
      CROSS JOIN lp
      WHERE lp.source = m.source AND lp.id = m.lesson_id AND ${markAt('m', ctx, 'present')} AND ${CURRENT_MARK}
        AND ${gradedMark('m')}
      GROUP BY lp.pn, lp.subject_id, m.student_id),`;
    // Totals: one probe of their primary key per enrolled student, subject and period.
    const countJoin = totals
      ? leftJoinEach(
          ctx.db,
          'period_mark_totals',
          'cnt',
          raw(`cnt.source = ps.source AND cnt.period_row = ps.prow
      AND cnt.subject_id = norms.subject_id AND cnt.student_id = e.person_id`),
        )
      : raw(
          `LEFT JOIN cnt ON cnt.pn = ps.pn AND cnt.subject_id = norms.subject_id AND cnt.student_id = e.person_id`,
        );
    const n = raw(totals ? 'coalesce(cnt.marks, 0)' : 'coalesce(cnt.n, 0)');
    const inner = sql`WITH ${periodsCte(chosen)}, ${subjectsCte(ctx, ctx.periodTotals)},
    ${counts}
    norms AS (
      SELECT subj.prow, subj.subject_id, subj.last_date, ${norm} AS norm FROM subj JOIN ps ON ps.prow = subj.prow)
    SELECT ${findingColumns(
      {
        src: 'ps.source',
        class_id: 'ps.class_id',
        subject_id: 'norms.subject_id',
        teacher_id: lastLessonTeacher(
          ctx,
          'ps.source',
          'ps.class_id',
          'norms.subject_id',
          'norms.last_date',
        ),
        student_id: 'e.person_id',
        period_id: 'ps.period_id',
        date: 'ps.finish_date',
      },
      {
        period_name: 'ps.name',
        period_start: 'ps.start_date',
        marks: n,
        norm: 'norms.norm',
        ...(byHours ? { prow: 'ps.prow', days: 'ps.n2' } : {}),
      },
    )}
    FROM norms
    JOIN ps ON ps.prow = norms.prow
    JOIN enrollments e ON e.source = ps.source AND e.class_id = ps.class_id AND e.status = 'active'
    ${countJoin}
    WHERE ${enrolledAt('e', ctx)} AND ${n} < norms.norm`;
    const found = await queryFindings(ctx, inner);
    const rows = byHours ? await underOwnNorm(ctx, chosen, found) : found;
    return rows.filter(
      (r) =>
        !isExempt(ctx.exemptions, {
          studentId: r.studentId,
          subjectId: r.subjectId,
          from: String(r.extra.period_start),
          to: r.date ?? '',
          kinds: ['exempt', 'long_absence'],
        }),
    );
  },
});

/**
 * byHours: keeps the rows whose marks are under the student's own norm, from the lessons he
 * attends: the whole class's and those of the subgroups he is an active member of (English split
 * in two, one lesson a week each: one a week for each student, not the class's two). A student in
 * none of a split subject's subgroups attends none of its lessons. The counts are read in one
 * grouped query and matched here: joined to the rows in SQL, PostgreSQL planned them as a nested
 * loop per enrolled student (30–75 s at 1M marks).
 */
async function underOwnNorm(
  ctx: RuleContext<Params>,
  chosen: readonly { period: PeriodRow; numbers: readonly number[] }[],
  rows: FindingRow[],
): Promise<FindingRow[]> {
  if (rows.length === 0) return rows;
  const q = sql`WITH ${periodsCte(chosen)},
    sl AS (
      SELECT ps.prow, l.subject_id, l.group_id, count(*) AS n
      FROM ps JOIN lessons l ON l.source = ps.source AND l.class_id = ps.class_id
        AND l.date >= ps.start_date AND l.date <= ps.finish_date
      WHERE ${lessonAt('l', ctx)}
      GROUP BY ps.prow, l.subject_id, l.group_id),
    gm AS (
      SELECT DISTINCT g.source, g.class_id, g.person_id FROM enrollments g
      WHERE g.school_id = ${ctx.schoolId} AND g.status = 'active'
        AND g.class_id IN (SELECT sl.group_id FROM sl WHERE sl.group_id IS NOT NULL)
        AND ${enrolledAt('g', ctx)})
    SELECT sl.prow, sl.subject_id, NULL AS person_id, sum(sl.n) AS n
    FROM sl WHERE sl.group_id IS NULL GROUP BY sl.prow, sl.subject_id
    UNION ALL
    SELECT sl.prow, sl.subject_id, g.person_id, sum(sl.n) AS n
    FROM sl JOIN ps ON ps.prow = sl.prow JOIN gm g ON g.source = ps.source AND g.class_id = sl.group_id
    GROUP BY sl.prow, sl.subject_id, g.person_id`;
  const counts = await ctx.db.query<{
    prow: string;
    subject_id: string;
    person_id: string | null;
    n: unknown;
  }>(q.text, q.params);
  const lessons = new Map<string, number>();
  const key = (prow: unknown, subject: unknown, person: unknown) =>
    `${String(prow)}|${String(subject)}|${person === null || person === undefined ? '' : String(person)}`;
  for (const c of counts) lessons.set(key(c.prow, c.subject_id, c.person_id), Number(c.n));
  return rows.flatMap((r) => {
    const { prow, days, ...extra } = r.extra;
    const own =
      (lessons.get(key(prow, r.subjectId, null)) ?? 0) +
      (lessons.get(key(prow, r.subjectId, r.studentId)) ?? 0);
    const norm = hoursNorm(own, Number(days), ctx.params.byHours);
    return Number(extra.marks) < norm ? [{ ...r, extra: { ...extra, norm } }] : [];
  });
}
