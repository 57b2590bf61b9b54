import type { SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';
import { findSubgroups, type NamedGroup } from '../../platform/class-names.js';

export interface ClassInfo {
  id: string;
  name: string;
  grade: number | null;
  letter: string | null;
}

type ClassRow = {
  id: string;
  name: string;
  full_name: string | null;
  grade: number | null;
  letter: string | null;
};

const normalize = (s: string): string => s.toLowerCase().replace(/[\s\-–«»"„“]/g, '');

/** The school's classes (kind `class`), ordered by grade and name. */
export async function listClasses(db: SqlExecutor, schoolId: string): Promise<ClassInfo[]> {
  const rows = await db.query<ClassRow>(
    "SELECT id, name, full_name, grade, letter FROM classes WHERE school_id = ? AND deleted_at IS NULL AND kind = 'class' ORDER BY grade, name, id",
    [schoolId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, grade: r.grade === null ? null : Number(r.grade), letter: r.letter }));
}

/** A class by its name as users type it: «5А», «5 А», «5-а» all find 5А. */
export async function findClass(db: SqlExecutor, schoolId: string, name: string): Promise<ClassInfo> {
  const classes = await listClasses(db, schoolId);
  const wanted = normalize(name);
  const found = classes.find((c) => normalize(c.name) === wanted);
  if (!found) {
    // A subgroup's lessons are its class's: its spreads are in the class's journal and report.
    const groups = await db.query<NamedGroup & Record<string, unknown>>(
      'SELECT id, name, kind, parent_ids FROM classes WHERE school_id = ? AND deleted_at IS NULL',
      [schoolId],
    );
    const sub = findSubgroups(name, groups)[0];
    if (sub) {
      throw new UsageError(`"${sub.label}" is a subgroup of ${sub.parentName}, not a class`, [
        `its lessons are printed with its class: --class ${sub.parentName}`,
      ]);
    }
    throw new UsageError(`no class "${name}" in the mirror`, [`classes: ${classes.map((c) => c.name).join(', ')}`]);
  }
  return found;
}
