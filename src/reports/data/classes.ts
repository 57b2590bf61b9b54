import type { SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';

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
    throw new UsageError(`no class "${name}" in the mirror`, [`classes: ${classes.map((c) => c.name).join(', ')}`]);
  }
  return found;
}
