import type { SqlExecutor } from '../sql.js';
import { chunk, padIds } from '../sql.js';
import { inList, raw, sql, type Fragment } from '../sql-fragment.js';
import { trimmed } from '../text-sql.js';
import { isAbsent } from '../attendance-sql.js';
import { CELL_MARK } from '../mark-sql.js';
import { CONTROL_WORK_KINDS } from '../../connectors/work-kinds.js';
import { indexName } from '../migrations/create-table.js';
import { ATTENDANCE_ABSENCES } from '../tables.js';

/**
 * `lesson_entry_totals`: per lesson, what five rules would otherwise probe the
 * journal for on every run, lesson by lesson through the whole school (bench/README.md, sixth
 * pass, for what that cost). Kept with the period totals (same
 * refresh, same `derived_state` row): a full build per school, then the lessons a stretch of the
 * change history touched. Each figure is the rule's own condition with its threshold left out, so
 * a rule reads only the lessons that can be findings and still checks each of them in full. A
 * deleted lesson keeps its row: `mark-late` judges a live mark whatever became of its lesson; a
 * lesson the mirror lacks has one when a live absence names it (`absent-with-mark`).
 * The figures:
 * - `attendance`: live entries of any status (`attendance-not-kept`: none);
 * - `homework_len`: the longest trimmed text of a live homework (`homework-missing`: under its
 *   `minLength`), trimmed as the rule trims;
 * - `entry_lag`, `control_entry_lag`: the latest entry moment of a live mark less the lesson's
 *   `day_start_at`, over the marks of other work types and over those of the platform's control
 *   kinds (`mark-late`: a lesson whose latest mark of either came before that one's deadline has
 *   no late mark; a control work's deadline is days later: with one figure for both, the lessons
 *   of control works marked within their days were read for nothing);
 * - `absent_marked`: live absences whose student has a live graded mark in the lesson that is not
 *   a homework's (`absent-with-mark`: only lessons with one hold a finding);
 * - `control_unmarked`: pairs of a live work of a control kind and an active student of the
 *   lesson's roster (its subgroup's, else its class's) with no live mark for the work and no live
 *   absence from the lesson (`control-work-unmarked`, deadline and grade left out).
 * A change of work types rebuilds the school (refresh.ts), so a type's kind is read at the build;
 * a change of a class's enrollments recomputes the lessons of that class or subgroup.
 */
export const LESSON_TOTALS_TABLE = 'lesson_entry_totals';

/** `${source}\u0000${lessonId}` of lessons whose row must be recomputed. */
export type EntryLessons = Set<string>;

const SEP = '\u0000';

export function lessonKey(source: string, lessonId: string): string {
  return `${source}${SEP}${lessonId}`;
}

/**
 * `${source}\u0000${id}` keys (lessons, classes, works) as ids per source, in padded chunks of
 * 256 for an `IN` list each (`padIds`: a few statement shapes, whatever the count).
 */
export function* idChunks(keys: Iterable<string>): Generator<{ source: string; ids: string[] }> {
  const bySource = new Map<string, string[]>();
  for (const key of keys) {
    const [source, id] = key.split(SEP) as [string, string];
    const ids = bySource.get(source);
    if (ids) ids.push(id);
    else bySource.set(source, [id]);
  }
  for (const [source, ids] of bySource) {
    for (const part of chunk(ids, 256)) yield { source, ids: padIds(part) };
  }
}

/**
 * The work kinds `control_entry_lag` is kept for: the platform's control kinds, `mark-late`'s
 * default `controlKinds` (the rule compares its own parameter with this list).
 */
export const LESSON_TOTALS_CONTROL_KINDS: readonly string[] = CONTROL_WORK_KINDS;

/** The mark `m` is of a work type of a control kind. */
const controlWork = sql`EXISTS (SELECT 1 FROM work_types wt
  WHERE wt.source = m.source AND wt.id = m.work_type_id AND wt.kind IN ${inList(LESSON_TOTALS_CONTROL_KINDS)})`;

/** A live absence `a` from the lesson `l` (of the student `student`, when given). */
function liveAbsence(student: string | null): Fragment {
  return sql`a.source = l.source AND a.lesson_id = l.id${raw(student ? ` AND a.student_id = ${student}` : '')}
        AND ${isAbsent('a')} AND a.deleted_at IS NULL`;
}

/**
 * SQLite, which plans without table statistics: the index a probe must take. Left to itself it
 * read a lesson's absences through the index of all its entries (and each entry's row for its
 * status) and a control work's roster through the enrollments' primary key by source alone
 * (every enrollment of the school for each work), and a full build took many times longer
 * (bench/README.md, seventh pass). PostgreSQL plans them from the statistics the full build
 * gathers first.
 */
function indexedBy(dialect: SqlExecutor['dialect'], index: string): Fragment {
  return raw(dialect === 'sqlite' ? ` INDEXED BY ${index}` : '');
}

/**
 * The rows computed, as `l` (source, id, school_id, day_start_at, group_id): the lessons `where`
 * selects, or (`absent`) the lessons the mirror lacks that live absences matching `where` (on
 * `a`) name. An entry can name a lesson the lessons' fetch never stored (one it quarantined,
 * say), and `absent-with-mark` judges its cells all the same: its row keeps them in view.
 */
function lessonRows(kind: 'mirrored' | 'absent', where: Fragment): Fragment {
  if (kind === 'mirrored') return sql`lessons l WHERE ${where}`;
  return sql`(SELECT DISTINCT a.source, a.lesson_id AS id, a.school_id,
        CAST(NULL AS bigint) AS day_start_at, CAST(NULL AS text) AS group_id
      FROM attendance a
      WHERE ${where} AND ${isAbsent('a')} AND a.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM lessons x WHERE x.source = a.source AND x.id = a.lesson_id)) l`;
}

function computed(dialect: SqlExecutor['dialect'], rows: Fragment): Fragment {
  const absences = indexedBy(dialect, ATTENDANCE_ABSENCES.name);
  const rosters = indexedBy(dialect, indexName('enrollments', ['class_id']));
  return sql`INSERT INTO ${raw(LESSON_TOTALS_TABLE)} (source, lesson_id, school_id, attendance, homework_len,
      entry_lag, control_entry_lag, absent_marked, control_unmarked)
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
          AND m.deleted_at IS NULL AND ${controlWork}) - l.day_start_at,
      (SELECT count(*) FROM attendance a${absences}
        WHERE ${liveAbsence(null)}
          AND EXISTS (SELECT 1 FROM marks m ${CELL_MARK.joins}
            WHERE m.source = a.source AND m.lesson_id = a.lesson_id AND m.student_id = a.student_id
              AND m.deleted_at IS NULL AND ${CELL_MARK.condition})),
      (SELECT count(*) FROM works w
        JOIN work_types wt ON wt.source = w.source AND wt.id = w.work_type_id
        JOIN enrollments e${rosters} ON e.source = w.source AND e.class_id = coalesce(l.group_id, w.class_id)
        WHERE w.source = l.source AND w.lesson_id = l.id AND w.deleted_at IS NULL
          AND wt.kind IN ${inList(LESSON_TOTALS_CONTROL_KINDS)}
          AND e.status = 'active' AND e.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM marks m
            WHERE m.source = w.source AND m.work_id = w.id AND m.student_id = e.person_id
              AND m.deleted_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM attendance a${absences} WHERE ${liveAbsence('e.person_id')}))
    FROM ${rows}`;
}

/** Every lesson of the school (its old rows deleted first). */
export async function buildLessonTotals(tx: SqlExecutor, schoolId: string): Promise<void> {
  await tx.run(`DELETE FROM ${LESSON_TOTALS_TABLE} WHERE school_id = ?`, [schoolId]);
  for (const rows of [
    lessonRows('mirrored', sql`l.school_id = ${schoolId}`),
    lessonRows('absent', sql`a.school_id = ${schoolId}`),
  ]) {
    const insert = computed(tx.dialect, rows);
    await tx.run(insert.text, insert.params);
  }
}

/** Recomputes the given lessons; returns how many were asked. */
export async function refreshLessonTotals(
  tx: SqlExecutor,
  schoolId: string,
  lessons: EntryLessons,
): Promise<number> {
  for (const { source, ids } of idChunks(lessons)) {
    const del = sql`DELETE FROM ${raw(LESSON_TOTALS_TABLE)}
      WHERE source = ${source} AND lesson_id IN ${inList(ids)} AND school_id = ${schoolId}`;
    await tx.run(del.text, del.params);
    for (const rows of [
      lessonRows(
        'mirrored',
        sql`l.source = ${source} AND l.id IN ${inList(ids)} AND l.school_id = ${schoolId}`,
      ),
      lessonRows(
        'absent',
        sql`a.source = ${source} AND a.lesson_id IN ${inList(ids)} AND a.school_id = ${schoolId}`,
      ),
    ]) {
      const insert = computed(tx.dialect, rows);
      await tx.run(insert.text, insert.params);
    }
  }
  return lessons.size;
}
