import { RULE_IDS } from '../../checks/registry.js';
import type { SqlExecutor } from '../../mirror/sql.js';

/**
 * Denominators of the справка (004 §5.2): for each teacher and criterion, how many lessons or
 * marks of the window were checked, so the note states a share filled on time and not only a
 * count of violations. Every teacher who taught in the window appears, and every criterion.
 */

/** What a criterion checks, one finding per item at most; null: no per-item denominator. */
export type RuleUnit = 'lessons' | 'grade1Lessons' | 'marks' | null;

const UNITS: Record<string, RuleUnit> = {
  'topic-missing': 'lessons',
  'homework-missing': 'lessons',
  'attendance-not-kept': 'lessons',
  'control-work-unmarked': 'lessons',
  'grade1-mark': 'grade1Lessons',
  'grade1-homework': 'grade1Lessons',
  'mark-late': 'marks',
  'absent-with-mark': 'marks',
  'two-not-corrected': 'marks',
};

export const ruleUnit = (rule: string): RuleUnit => UNITS[rule] ?? null;

/** A class teacher's own duties (weekly attendance, movement): a section of their own. */
export const CLASS_TEACHER_RULES = new Set(['attendance-not-kept']);

export const ALL_RULES: readonly string[] = RULE_IDS;

export interface TeacherScope {
  id: string;
  name: string;
  lessons: number;
  grade1Lessons: number;
  marks: number;
}

/** Lessons and marks per teacher with lessons dated in [fromDate, toDate] (local dates). */
export async function teacherScopes(
  db: SqlExecutor,
  schoolId: string,
  fromDate: string,
  toDate: string,
): Promise<TeacherScope[]> {
  const lessons = await db.query<{ id: string; name: string | null; n: number; g1: number }>(
    `SELECT l.teacher_id AS id, p.full_name AS name, count(*) AS n,
       sum(CASE WHEN c.grade = 1 THEN 1 ELSE 0 END) AS g1
     FROM lessons l
     LEFT JOIN persons p ON p.id = l.teacher_id AND p.source = l.source
     LEFT JOIN classes c ON c.id = l.class_id AND c.source = l.source
     WHERE l.school_id = ? AND l.deleted_at IS NULL AND l.teacher_id IS NOT NULL
       AND l.date >= ? AND l.date <= ?
     GROUP BY l.teacher_id, p.full_name`,
    [schoolId, fromDate, toDate],
  );
  const marks = await db.query<{ id: string; n: number }>(
    `SELECT l.teacher_id AS id, count(*) AS n FROM marks m
     JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source
     WHERE l.school_id = ? AND l.deleted_at IS NULL AND m.deleted_at IS NULL AND l.teacher_id IS NOT NULL
       AND l.date >= ? AND l.date <= ?
     GROUP BY l.teacher_id`,
    [schoolId, fromDate, toDate],
  );
  const markCount = new Map(marks.map((m) => [m.id, Number(m.n)]));
  return lessons
    .map((l) => ({
      id: l.id,
      name: l.name ?? 'Учитель не указан',
      lessons: Number(l.n),
      grade1Lessons: Number(l.g1 ?? 0),
      marks: markCount.get(l.id) ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}

export function checkedCount(scope: TeacherScope | undefined, unit: RuleUnit): number | null {
  if (!unit) return null;
  return scope ? scope[unit] : 0;
}
