import type { SqlExecutor } from '../sql.js';
import { chunk, padIds } from '../sql.js';
import { inList, raw, sql, type Fragment } from '../sql-fragment.js';
import { trimmed } from '../text-sql.js';
import { CONTROL_WORK_KINDS } from '../../connectors/work-kinds.js';

/**
 * `lesson_entry_totals`: per lesson, what three lesson rules would otherwise probe the
 * journal for on every run, lesson by lesson through the whole school (bench/README.md, sixth
 * pass, for what that cost). Kept with the period totals (same
 * refresh, same `derived_state` row): a full build per school, then the lessons a stretch of the
 * change history touched. Each figure is the rule's own condition with its threshold left out, so
 * a rule reads only the lessons that can be findings and still checks each of them in full. A
 * deleted lesson keeps its row: `mark-late` judges a live mark whatever became of its lesson.
 * The figures:
 * - `attendance`: live entries of any status (`attendance-not-kept`: none);
 * - `homework_len`: the longest trimmed text of a live homework (`homework-missing`: under its
 *   `minLength`), trimmed as the rule trims;
 * - `entry_lag`, `control_entry_lag`: the latest entry moment of a live mark less the lesson's
 *   `day_start_at`, over the marks of other work types and over those of the platform's control
 *   kinds (`mark-late`: a lesson whose latest mark of either came before that one's deadline has
 *   no late mark; a control work's deadline is days later: with one figure for both, the lessons
 *   of control works marked within their days were read for nothing).
 * A change of work types rebuilds the school (refresh.ts), so a type's kind is read at the build.
 */
export const LESSON_TOTALS_TABLE = 'lesson_entry_totals';

/** `${source}\u0000${lessonId}` of lessons whose row must be recomputed. */
export type EntryLessons = Set<string>;

const SEP = '\u0000';

export function lessonKey(source: string, lessonId: string): string {
  return `${source}${SEP}${lessonId}`;
}

/**
 * The work kinds `control_entry_lag` is kept for: the platform's control kinds, `mark-late`'s
 * default `controlKinds` (the rule compares its own parameter with this list).
 */
export const LESSON_TOTALS_CONTROL_KINDS: readonly string[] = CONTROL_WORK_KINDS;

/** The mark `m` is of a work type of a control kind. */
const controlWork = sql`EXISTS (SELECT 1 FROM work_types wt
  WHERE wt.source = m.source AND wt.id = m.work_type_id AND wt.kind IN ${inList(LESSON_TOTALS_CONTROL_KINDS)})`;

function computed(where: Fragment): Fragment {
  return sql`INSERT INTO ${raw(LESSON_TOTALS_TABLE)} (source, lesson_id, school_id, attendance, homework_len,
      entry_lag, control_entry_lag)
    SELECT l.source, l.id, l.school_id,
      (SELECT count(*) FROM attendance a
        WHERE a.source = l.source AND a.lesson_id = l.id AND a.deleted_at IS NULL),
      coalesce((SELECT max(length(${trimmed('w.text')})) FROM works w
        WHERE w.source = l.source AND w.lesson_id = l.id AND w.type = 'Homework' AND w.deleted_at IS NULL), 0),
      (SELECT max(m.entered_at) FROM marks m
        WHERE m.source = l.source AND m.lesson_id = l.id AND m.entered_at IS NOT NULL
          AND m.deleted_at IS NULL AND NOT ${controlWork}) - l.day_start_at,
      (SELECT max(m.entered_at) FROM marks m
        WHERE m.source = l.source AND m.lesson_id = l.id AND m.entered_at IS NOT NULL
          AND m.deleted_at IS NULL AND ${controlWork}) - l.day_start_at
    FROM lessons l
    WHERE ${where}`;
}

/** Every lesson of the school (its old rows deleted first). */
export async function buildLessonTotals(tx: SqlExecutor, schoolId: string): Promise<void> {
  await tx.run(`DELETE FROM ${LESSON_TOTALS_TABLE} WHERE school_id = ?`, [schoolId]);
  const insert = computed(sql`l.school_id = ${schoolId}`);
  await tx.run(insert.text, insert.params);
}

/** Recomputes the given lessons; returns how many were asked. */
export async function refreshLessonTotals(
  tx: SqlExecutor,
  schoolId: string,
  lessons: EntryLessons,
): Promise<number> {
  const bySource = new Map<string, string[]>();
  for (const key of lessons) {
    const [source, id] = key.split(SEP) as [string, string];
    bySource.set(source, [...(bySource.get(source) ?? []), id]);
  }
  for (const [source, ids] of bySource) {
    for (const part of chunk(ids, 256)) {
      const padded = padIds(part);
      const del = sql`DELETE FROM ${raw(LESSON_TOTALS_TABLE)}
        WHERE source = ${source} AND lesson_id IN ${inList(padded)} AND school_id = ${schoolId}`;
      await tx.run(del.text, del.params);
      const insert = computed(
        sql`l.source = ${source} AND l.id IN ${inList(padded)} AND l.school_id = ${schoolId}`,
      );
      await tx.run(insert.text, insert.params);
    }
  }
  return lessons.size;
}
