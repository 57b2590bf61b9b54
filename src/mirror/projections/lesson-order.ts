import type { SqlExecutor } from '../sql.js';
import { inList, raw, sql, type Fragment } from '../sql-fragment.js';

/**
 * `lesson_order`: each live lesson's place in its class and subject, kept with the period totals
 * (same refresh, same `derived_state` row) so that `two-not-corrected` finds "the next N lessons"
 * by index instead of numbering every lesson of the school with window functions on each run.
 * The order is the rule's: date, then number (none: 0), then id.
 *
 * A series is a class's lessons of a subject, or a subgroup's: a split subject's two groups each
 * have their own "next lessons" (a student of гр. 1 is not corrected at гр. 2's lesson). The
 * table's `class_id` names the series' owner: the subgroup for a subgroup's lesson
 * (`SERIES_OWNER`), else the class.
 */
export const LESSON_ORDER_TABLE = 'lesson_order';

/** The series a lesson `l` belongs to (see above): its subgroup, else its class. */
export const SERIES_OWNER = 'coalesce(l.group_id, l.class_id)';

/** A series owner's (class or subgroup) subjects whose lessons must be renumbered, per source. */
export type LessonSeries = Map<string, Map<string, Set<string>>>;

export function addSeries(
  series: LessonSeries,
  source: string,
  classId: string,
  subjectId: string,
): void {
  const classes = series.get(source) ?? new Map<string, Set<string>>();
  const subjects = classes.get(classId) ?? new Set<string>();
  subjects.add(subjectId);
  classes.set(classId, subjects);
  series.set(source, classes);
}

function numbered(where: Fragment): Fragment {
  return sql`INSERT INTO ${raw(LESSON_ORDER_TABLE)} (source, lesson_id, school_id, class_id, subject_id, seq, day_start_at)
    SELECT l.source, l.id, l.school_id, ${raw(SERIES_OWNER)}, l.subject_id,
      row_number() OVER (PARTITION BY l.source, ${raw(SERIES_OWNER)}, l.subject_id
        ORDER BY l.date, coalesce(l.number, 0), l.id),
      l.day_start_at
    FROM lessons l
    WHERE l.deleted_at IS NULL AND ${where}`;
}

/** Numbers every live lesson of the school (its old rows deleted first). */
export async function buildLessonOrder(tx: SqlExecutor, schoolId: string): Promise<void> {
  await tx.run(`DELETE FROM ${LESSON_ORDER_TABLE} WHERE school_id = ?`, [schoolId]);
  const insert = numbered(sql`l.school_id = ${schoolId}`);
  await tx.run(insert.text, insert.params);
}

/** Renumbers the given series: a few classes' subjects after a sync touched their lessons. */
export async function renumberSeries(
  tx: SqlExecutor,
  schoolId: string,
  series: LessonSeries,
): Promise<number> {
  let count = 0;
  for (const [source, classes] of series) {
    for (const [classId, subjects] of classes) {
      count += subjects.size;
      const ids = [...subjects];
      const del = sql`DELETE FROM ${raw(LESSON_ORDER_TABLE)}
        WHERE source = ${source} AND class_id = ${classId} AND subject_id IN ${inList(ids)}`;
      await tx.run(del.text, del.params);
      const insert = numbered(
        sql`l.source = ${source} AND ${raw(SERIES_OWNER)} = ${classId} AND l.subject_id IN ${inList(ids)}
          AND l.school_id = ${schoolId}`,
      );
      await tx.run(insert.text, insert.params);
    }
  }
  return count;
}
