import type { SqlExecutor } from '../sql.js';
import { parseRows } from './rows.js';

/**
 * What the mirror says a person is, for the web site's roles: the classes whose class teacher they
 * are (the platform's class-teacher assignments, as the alerts' directory reads them) and whether
 * they teach lessons. Live rows only: a teacher who left has no class any more.
 */

export interface PersonRecord {
  schoolId: string;
  fullName: string;
}

export async function personRecords(db: SqlExecutor, personId: string): Promise<PersonRecord[]> {
  return parseRows(
    'persons',
    await db.query(
      `SELECT school_id, full_name FROM persons WHERE id = ? AND deleted_at IS NULL
        ORDER BY school_id`,
      [personId],
    ),
    (r) => ({ schoolId: r.text('school_id'), fullName: r.text('full_name') }),
  );
}

/** Classes (school and class id) whose class teacher the person is. */
export async function classTeacherOf(
  db: SqlExecutor,
  personId: string,
): Promise<{ schoolId: string; classId: string }[]> {
  return parseRows(
    'teacher_assignments',
    await db.query(
      `SELECT DISTINCT school_id, class_id FROM teacher_assignments
        WHERE teacher_id = ? AND role = 'class_teacher' AND deleted_at IS NULL
        ORDER BY school_id, class_id`,
      [personId],
    ),
    (r) => ({ schoolId: r.text('school_id'), classId: r.text('class_id') }),
  );
}

/** Schools where the person is a lesson's (first) teacher. */
export async function schoolsWhereTeaching(db: SqlExecutor, personId: string): Promise<string[]> {
  return parseRows(
    'lessons',
    await db.query(
      `SELECT DISTINCT school_id FROM lessons WHERE teacher_id = ? AND deleted_at IS NULL`,
      [personId],
    ),
    (r) => r.text('school_id'),
  );
}

/** A class teacher and a subject teacher of a school (the demo's accounts). */
export async function sampleTeachers(
  db: SqlExecutor,
  schoolId: string,
): Promise<{ classTeacher: string | null; subjectTeacher: string | null }> {
  const ct = await db.query(
    `SELECT teacher_id FROM teacher_assignments
      WHERE school_id = ? AND role = 'class_teacher' AND deleted_at IS NULL
      ORDER BY class_id LIMIT 1`,
    [schoolId],
  );
  const classTeacher = parseRows('teacher_assignments', ct, (r) => r.text('teacher_id'))[0] ?? null;
  const st = await db.query(
    `SELECT DISTINCT l.teacher_id FROM lessons l
      WHERE l.school_id = ? AND l.deleted_at IS NULL AND l.teacher_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM teacher_assignments a WHERE a.teacher_id = l.teacher_id
          AND a.role = 'class_teacher' AND a.deleted_at IS NULL)
      ORDER BY l.teacher_id LIMIT 1`,
    [schoolId],
  );
  const subjectTeacher = parseRows('lessons', st, (r) => r.text('teacher_id'))[0] ?? null;
  return { classTeacher, subjectTeacher };
}
