import { z } from 'zod';
import { classFilter, CURRENT_MARK, NOT_CURRENT_SETS, numericMark, where } from '../common.js';
import { lastLessonTeacher } from '../period-sql.js';
import { finalMarkAt, markAt, structureAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { raw, sql } from '../sql-fragment.js';

/** Boundaries of 3, 4 and 5 per rounding profile (compliance-rules §1.3). */
export const ROUNDING_PROFILES = {
  math: [2.5, 3.5, 4.5],
  lyceum: [2.6, 3.6, 4.65],
  strict: [2.65, 3.65, 4.65],
} as const;

/**
 * A period mark that differs from the one the student's (weighted) average of current marks
 * gives. The averages are one grouped pass over the marks (lessons placed in periods, then
 * marks), joined to the final marks; the boundary test avoids division: `Σv·w ≥ t·Σw − 1e-9`.
 */
export default defineRule({
  id: 'final-mark-objectivity',
  heavy: true,
  title: 'Необъективность отметки за период',
  severity: 'warning',
  audience: ['deputy_director'],
  keyParts: ['mark'],
  beforeFirstSync: {
    en: 'the period mark by its own date (without one: not claimed); current marks by their entry moments (without one: counted as now)',
    ru: 'отметка за период — по её дате (без даты не вменяется); текущие отметки — по моменту внесения (без него учитываются)',
  },
  usesPeriodTotals: true,
  params: z.object({
    profile: z.enum(['math', 'lyceum', 'strict']).default('math'),
    /** Weighted by work type weight (null weight → 1), or a plain average. */
    weighted: z.boolean().default(true),
  }),
  message: (row) => {
    const avg = (Number(row.extra.sum) / Number(row.extra.weight)).toFixed(2).replace('.', ',');
    return `Отметка за период «${String(row.extra.period_name ?? '')}» не соответствует среднему баллу: ${where(row)}, ученик ${row.studentName ?? '—'}: выставлено ${String(row.extra.value)}, средний балл ${avg} → ${String(row.extra.expected)}`;
  },
  evaluate: (ctx) => {
    const { params: p } = ctx;
    const [t3, t4, t5] = ROUNDING_PROFILES[p.profile];
    const weight = p.weighted
      ? raw('coalesce(wts.weight, CAST(1 AS double precision))')
      : raw('CAST(1 AS double precision)');
    const reaches = (t: number) => sql`agg.sw >= ${t} * agg.w - 1e-9`;
    const expected = sql`CASE WHEN ${reaches(t5)} THEN 5 WHEN ${reaches(t4)} THEN 4 WHEN ${reaches(t3)} THEN 3 ELSE 2 END`;
    // The sums per (period, subject, student) come first (`agg`, ~150k groups); names, dates and
    // the final mark are joined to the groups, not to the marks: one probe of the (class,
    // subject, student, period) index of final_marks per group.
    const columns = findingColumns(
      {
        src: 'f.source',
        class_id: 'f.class_id',
        subject_id: 'f.subject_id',
        teacher_id: lastLessonTeacher(
          ctx,
          'f.source',
          'f.class_id',
          'f.subject_id',
          'agg.last_date',
        ),
        student_id: 'f.student_id',
        mark_id: 'f.id',
        period_id: 'f.period_id',
        date: 'p.finish_date',
      },
      { period_name: 'p.name', value: 'f.value', sum: 'agg.sw', weight: 'agg.w', expected },
    );
    const finalMarkLive = sql`f.school_id = ${ctx.schoolId} AND ${finalMarkAt('f', ctx, 'absent')} AND ${numericMark('f')}`;
    const selectFindings = sql`SELECT ${columns}
    FROM agg
    -- CROSS JOINs fix SQLite's order: the period first, then one probe of the (class, subject,
    -- student, period) index of final_marks per group (by student alone it read ~40 rows).
    CROSS JOIN pr p
    CROSS JOIN final_marks f
    WHERE p.pn = agg.pn AND f.source = p.source AND f.class_id = p.class_id
      AND f.subject_id = agg.subject_id AND f.student_id = agg.student_id
      AND f.period_id = p.period_id AND ${finalMarkLive}
      AND f.value <> CAST(${expected} AS text)`;
    const pr = sql`pr AS MATERIALIZED (
      SELECT row_number() OVER (ORDER BY p.source, p.id) AS pn, p.source, p.id, p.class_id,
        p.period_id, p.name, p.start_date, p.finish_date
      FROM reporting_periods p
      WHERE p.school_id = ${ctx.schoolId} AND ${structureAt('p', ctx)}
        ${classFilter(ctx, 'p.class_id')})`;
    // The sums: read from the period totals the sync keeps when they hold the mirror as of the
    // run (~150k rows instead of 1M marks), else grouped here: lessons placed in their periods
    // first (MATERIALIZED), then the marks joined to them and grouped by period number (an
    // integer: a cheaper sort key than the period's text id), subject and student; weights and
    // the not-current sets are small MATERIALIZED CTEs probed per mark.
    const sums = sql`${raw(p.weighted ? 't.weighted_sum' : 't.plain_sum')} AS sw,
        ${raw(p.weighted ? 't.weight_sum' : 'CAST(t.graded AS double precision)')} AS w`;
    // PostgreSQL, from the period totals: the other way round, each final mark of the school's
    // periods (by the class column leading the (class, subject, student, period) index) probes
    // its group's totals row by key. Driven from the groups (the form below), PostgreSQL probed
    // final_marks by the student-only index whatever the join gave it (it estimates 769 groups
    // for 141,852: the period CTE) and read ~50 rows a group: 7.2 s, against 2.6 s for this plan
    // (bench/checks-pg, EXPLAIN ANALYZE, load 12). LATERAL … OFFSET 0 keeps the probe per mark.
    if (ctx.periodTotals && ctx.db.dialect === 'postgres') {
      return queryFindings(
        ctx,
        sql`WITH ${pr}
    SELECT ${columns}
    FROM pr p
    JOIN final_marks f ON f.class_id = p.class_id AND f.period_id = p.period_id AND f.source = p.source
    CROSS JOIN LATERAL (
      SELECT t.last_graded_date AS last_date, ${sums}
      FROM period_mark_totals t
      WHERE t.source = p.source AND t.period_row = p.id AND t.subject_id = f.subject_id
        AND t.student_id = f.student_id AND t.graded > 0 OFFSET 0) agg
    WHERE ${finalMarkLive} AND f.value <> CAST(${expected} AS text)`,
      );
    }
    const inner = ctx.periodTotals
      ? sql`WITH ${pr},
    agg AS (
      SELECT pr.pn, t.subject_id, t.student_id, t.last_graded_date AS last_date,
        ${raw(p.weighted ? 't.weighted_sum' : 't.plain_sum')} AS sw,
        ${raw(p.weighted ? 't.weight_sum' : 'CAST(t.graded AS double precision)')} AS w
      FROM pr JOIN period_mark_totals t ON t.source = pr.source AND t.period_row = pr.id
      WHERE t.graded > 0)
    ${selectFindings}`
      : sql`WITH ${pr},
    lp AS MATERIALIZED (
      SELECT l.source, l.id, pr.pn, l.subject_id, l.date
      FROM pr JOIN lessons l ON l.source = pr.source AND l.class_id = pr.class_id
        AND l.date >= pr.start_date AND l.date <= pr.finish_date),
    ${NOT_CURRENT_SETS},
    wts AS MATERIALIZED (SELECT source, id, weight FROM work_types WHERE weight IS NOT NULL),
    agg AS (
      SELECT lp.pn, lp.subject_id, m.student_id, max(lp.date) AS last_date,
        sum(CAST(m.value AS integer) * ${weight}) AS sw, sum(${weight}) AS w
      FROM marks m
      -- CROSS JOIN keeps marks the outer loop in SQLite (a sequential scan, not a search per
      -- lesson with a random read per mark); PostgreSQL plans it as the inner join it is.
      CROSS JOIN lp
      LEFT JOIN wts ON wts.source = m.source AND wts.id = m.work_type_id
      WHERE lp.source = m.source AND lp.id = m.lesson_id
        AND m.school_id = ${ctx.schoolId} AND ${markAt('m', ctx, 'present')}
        AND ${numericMark('m')} AND m.counts_in_average = 1 AND ${CURRENT_MARK}
      GROUP BY lp.pn, lp.subject_id, m.student_id)
    ${selectFindings}`;
    return queryFindings(ctx, inner);
  },
});
