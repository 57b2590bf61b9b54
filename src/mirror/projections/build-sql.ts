import { CURRENT_MARK, gradedMark, NOT_CURRENT_SETS, numericMark } from '../mark-sql.js';
import { inList, raw, sql, type Fragment } from '../sql-fragment.js';

/** The derived table and the name of its row in `derived_state`. */
export const TOTALS_TABLE = 'period_mark_totals';

/**
 * Recomputes `period_mark_totals` for the school's live reporting periods (all of them, or the
 * given rows; their old rows must be deleted first): per period row, subject of the lesson and
 * student, the live current marks of the lessons dated in the period. "Current", "numeric" and
 * the weight are the rules' own definitions (docs/rules.md), so a rule reading the totals finds
 * what it would find grouping the marks itself.
 *
 * Every mark is scanned once and probes its lesson among the periods' lessons (an automatic
 * index on the MATERIALIZED set), for a few periods as for all: walking the lessons instead and
 * reaching their marks by lesson, SQLite without table statistics searched the marks by the
 * primary key's `source` prefix, a scan of every mark per lesson.
 * Lessons without a subject are left out: no rule can name their subject.
 */
export function totalsInsert(schoolId: string, periodRows: readonly string[] | null): Fragment {
  const only = periodRows === null ? raw('') : sql` AND p.id IN ${inList(periodRows)}`;
  const graded = sql`${numericMark('m')} AND m.counts_in_average = 1`;
  const value = raw('CAST(m.value AS integer)');
  const weight = raw('coalesce(wts.weight, CAST(1 AS double precision))');
  return sql`WITH pr AS MATERIALIZED (
      SELECT p.source, p.id, p.class_id, p.start_date, p.finish_date
      FROM reporting_periods p
      WHERE p.school_id = ${schoolId} AND p.deleted_at IS NULL${only}),
    lp AS MATERIALIZED (
      SELECT l.source, l.id, pr.id AS prow, l.subject_id, l.date
      FROM pr JOIN lessons l ON l.source = pr.source AND l.class_id = pr.class_id
        AND l.date >= pr.start_date AND l.date <= pr.finish_date
      WHERE l.subject_id IS NOT NULL),
    ${NOT_CURRENT_SETS},
    wts AS MATERIALIZED (SELECT source, id, weight FROM work_types WHERE weight IS NOT NULL)
    INSERT INTO ${raw(TOTALS_TABLE)} (source, period_row, subject_id, student_id, school_id,
      marks, graded, plain_sum, weighted_sum, weight_sum, last_graded_date)
    SELECT lp.source, lp.prow, lp.subject_id, m.student_id, ${schoolId},
      sum(CASE WHEN ${gradedMark('m')} THEN 1 ELSE 0 END), sum(CASE WHEN ${graded} THEN 1 ELSE 0 END),
      sum(CASE WHEN ${graded} THEN ${value} ELSE 0 END),
      sum(CASE WHEN ${graded} THEN ${value} * ${weight} ELSE 0 END),
      sum(CASE WHEN ${graded} THEN ${weight} ELSE 0 END),
      max(CASE WHEN ${graded} THEN lp.date END)
    -- CROSS JOIN fixes the loop order in SQLite (it never reorders around one); PostgreSQL
    -- plans it as the inner join it is.
    FROM marks m CROSS JOIN lp
    LEFT JOIN wts ON wts.source = m.source AND wts.id = m.work_type_id
    WHERE lp.source = m.source AND lp.id = m.lesson_id AND m.deleted_at IS NULL
      AND m.student_id IS NOT NULL AND ${CURRENT_MARK}
    GROUP BY lp.source, lp.prow, lp.subject_id, m.student_id`;
}

/** The lessons per period and subject (`period_subject_totals`). */
export const SUBJECTS_TABLE = 'period_subject_totals';

/**
 * Recomputes `period_subject_totals` for the school's live reporting periods (all, or the given
 * rows; their old rows deleted first): per period row and subject, the live lessons dated in the
 * period and the latest of their dates, as the period rules' `subj` computes them.
 */
export function subjectsInsert(schoolId: string, periodRows: readonly string[] | null): Fragment {
  const only = periodRows === null ? raw('') : sql` AND p.id IN ${inList(periodRows)}`;
  return sql`INSERT INTO ${raw(SUBJECTS_TABLE)} (source, period_row, subject_id, school_id, lessons, last_date)
    SELECT p.source, p.id, l.subject_id, ${schoolId}, count(*), max(l.date)
    FROM reporting_periods p
    JOIN lessons l ON l.source = p.source AND l.class_id = p.class_id
      AND l.date >= p.start_date AND l.date <= p.finish_date
    WHERE p.school_id = ${schoolId} AND p.deleted_at IS NULL${only}
      AND l.deleted_at IS NULL AND l.subject_id IS NOT NULL
    GROUP BY p.source, p.id, l.subject_id`;
}
