import { placeholders, type SqlExecutor } from '../../mirror/sql.js';
import { idListOf } from '../../platform/id-list.js';
import type { JournalStudent } from './journal-types.js';

/**
 * Subgroups in the printed journal. A split subject (English, informatics in гр. 1 / гр. 2) is
 * printed as its own spreads per subgroup, titled as the platform names the subgroup, with that
 * subgroup's students only: a subgroup lesson concerns its members, and a paper journal keeps a
 * page per group.
 */

export interface JournalSubgroup {
  id: string;
  /** As the platform names it, e.g. «Английский язык, гр. 1». */
  name: string;
  /** Its members, current and former, in the class list's order. */
  students: JournalStudent[];
  /** Those of `students` who have left the subgroup (archived membership). */
  leftIds: Set<string>;
}

/** The live subgroups of a class (`parent_ids` names it), with their members. */
export async function loadSubgroups(
  db: SqlExecutor,
  classId: string,
): Promise<Map<string, JournalSubgroup>> {
  const rows = await db.query<{ id: string; name: string; parent_ids: string }>(
    `SELECT id, name, parent_ids FROM classes
     WHERE kind = 'subgroup' AND deleted_at IS NULL AND parent_ids LIKE ? ORDER BY name, id`,
    [`%${JSON.stringify(classId)}%`],
  );
  const groups = rows.filter((r) => idListOf(r.parent_ids).includes(classId));
  const out = new Map<string, JournalSubgroup>(
    groups.map((g) => [g.id, { id: g.id, name: g.name, students: [], leftIds: new Set<string>() }]),
  );
  if (groups.length === 0) return out;
  // Former members too: a student who left in the period keeps their marks on the group's pages.
  const members = await db.query<{ class_id: string; id: string; full_name: string; status: string }>(
    `SELECT e.class_id, p.id, p.full_name, e.status FROM enrollments e
     JOIN persons p ON p.id = e.person_id AND p.source = e.source
     WHERE e.class_id IN (${placeholders(groups.length)})
       AND e.deleted_at IS NULL AND p.deleted_at IS NULL
     ORDER BY p.last_name, p.first_name, p.middle_name, p.id`,
    groups.map((g) => g.id),
  );
  for (const m of members) {
    const group = out.get(m.class_id);
    if (!group) continue;
    group.students.push({ id: m.id, fullName: m.full_name, from: null, until: null, movement: [] });
    if (m.status !== 'active') group.leftIds.add(m.id);
  }
  return out;
}

/**
 * The spread's title: the subgroup's name when it names the subject already («Английский язык,
 * гр. 1»), else both («Английский язык, 1 группа»).
 */
export function subgroupSpreadName(subjectName: string, groupName: string): string {
  return groupName.toLowerCase().includes(subjectName.toLowerCase())
    ? groupName
    : `${subjectName}, ${groupName}`;
}
