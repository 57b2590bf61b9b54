import type { SubgroupMatch } from '../platform/class-names.js';
import { chunk, placeholders, type SqlExecutor } from '../mirror/sql.js';
import type { Finding } from './finding.js';

/**
 * `ezh check --class "5А / Английский язык, гр. 1"`: the rules run for the class (a subgroup's
 * lessons, marks and attendance are the class's), and the findings shown are those that concern
 * the subgroup: one of its lessons (directly, or through the work or mark found), or one of its
 * students in its subject (period rules). The run stores the class's findings as a run of the
 * class would, so naming a subgroup never resolves the class's other findings.
 */
export async function subgroupFindings(
  db: SqlExecutor,
  subgroups: readonly SubgroupMatch[],
  findings: readonly Finding[],
): Promise<Finding[]> {
  if (subgroups.length === 0) return [...findings];
  const ids = subgroups.map((s) => s.id);
  const lessons = new Set(
    (
      await db.query<{ id: string }>(
        `SELECT id FROM lessons WHERE group_id IN (${placeholders(ids.length)})`,
        ids,
      )
    ).map((r) => r.id),
  );
  const subjects = new Set(
    (
      await db.query<{ subject_id: string }>(
        `SELECT DISTINCT subject_id FROM lessons WHERE group_id IN (${placeholders(ids.length)})`,
        ids,
      )
    ).map((r) => r.subject_id),
  );
  const members = new Set(
    (
      await db.query<{ person_id: string }>(
        `SELECT person_id FROM enrollments WHERE deleted_at IS NULL AND class_id IN (${placeholders(ids.length)})`,
        ids,
      )
    ).map((r) => r.person_id),
  );
  // Works and marks found without their lesson in the key: their lessons.
  const lessonOf = new Map<string, string>();
  for (const [table, key] of [
    ['works', 'workId'],
    ['marks', 'markId'],
  ] as const) {
    const wanted = [...new Set(findings.map((f) => f[key]).filter((x): x is string => !!x))];
    for (const part of chunk(wanted, 500)) {
      const rows = await db.query<{ id: string; lesson_id: string | null }>(
        `SELECT id, lesson_id FROM ${table} WHERE id IN (${placeholders(part.length)})`,
        part,
      );
      for (const r of rows) if (r.lesson_id) lessonOf.set(`${key}:${r.id}`, r.lesson_id);
    }
  }
  const narrowed = new Set(subgroups.map((s) => s.parentId));
  return findings.filter((f) => {
    // Another class named whole in the same run: its findings stay.
    if (f.classId === null || !narrowed.has(f.classId)) return true;
    const lesson =
      f.lessonId ??
      (f.workId ? lessonOf.get(`workId:${f.workId}`) : undefined) ??
      (f.markId ? lessonOf.get(`markId:${f.markId}`) : undefined);
    if (lesson) return lessons.has(lesson);
    return (
      f.studentId !== null &&
      members.has(f.studentId) &&
      f.subjectId !== null &&
      subjects.has(f.subjectId)
    );
  });
}
