import { currentRunSql } from '../checks/run-kind.js';
import { placeholders, type SqlExecutor } from '../mirror/sql.js';
import { idListOf } from '../platform/id-list.js';

/** A finding that is still open: the unit alerts are about. */
export interface OpenFinding {
  key: string;
  rule: string;
  severity: string;
  schoolId: string;
  classId: string | null;
  subjectId: string | null;
  teacherId: string | null;
  /**
   * Everyone the finding is addressed to: every teacher of its lesson (a lesson taught by two is
   * the responsibility of both), else the finding's teacher. The finding itself names the first.
   */
  teacherIds?: string[];
  studentId: string | null;
  lessonId: string | null;
  /** YYYY-MM-DD of the lesson, or the period's finish. */
  date: string | null;
  deadline: number | null;
  message: string;
  firstSeenAt: number;
}

interface FindingRow extends Record<string, unknown> {
  key: string;
  rule: string;
  severity: string;
  school_id: string;
  class_id: string | null;
  subject_id: string | null;
  teacher_id: string | null;
  student_id: string | null;
  lesson_id: string | null;
  date: string | null;
  deadline: number | string | null;
  message: string;
  first_seen_at: number | string;
}

/**
 * Findings of a school that are open now and were already seen at `asOf`. A finding resolved at
 * any time is never alerted, even when a past as-of is re-run: telling a teacher about something
 * already fixed only costs trust.
 */
export async function loadOpenFindings(
  db: SqlExecutor,
  schoolId: string,
  asOf: number,
): Promise<OpenFinding[]> {
  const rows = await db.query<FindingRow>(
    `SELECT key, rule, severity, school_id, class_id, subject_id, teacher_id, student_id, lesson_id,
            date, deadline, message, first_seen_at
       FROM findings
      WHERE school_id = ? AND resolved_at IS NULL AND first_seen_at <= ?
      ORDER BY date, rule, key`,
    [schoolId, asOf],
  );
  const coTeachers = await lessonTeachers(
    db,
    schoolId,
    rows.flatMap((r) => (r.lesson_id ? [r.lesson_id] : [])),
  );
  return rows.map((r) => ({
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    schoolId: r.school_id,
    classId: r.class_id,
    subjectId: r.subject_id,
    teacherId: r.teacher_id,
    teacherIds: teachersOf(r.teacher_id, r.lesson_id ? coTeachers.get(r.lesson_id) : undefined),
    studentId: r.student_id,
    lessonId: r.lesson_id,
    date: r.date,
    deadline: r.deadline === null ? null : Number(r.deadline),
    message: r.message,
    firstSeenAt: Number(r.first_seen_at),
  }));
}

/** Schools that have open findings (used when the config lists no schools, as in the demo). */
export async function schoolsWithOpenFindings(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ school_id: string }>(
    `SELECT DISTINCT school_id FROM findings WHERE resolved_at IS NULL ORDER BY school_id`,
  );
  return rows.map((r) => r.school_id);
}

/** The finding's teacher first, then the lesson's other teachers. */
function teachersOf(teacherId: string | null, lesson: string[] | undefined): string[] {
  const all = [...(teacherId ? [teacherId] : []), ...(lesson ?? [])];
  return [...new Set(all)];
}

const CHUNK = 500;

/** Lesson id → its teachers (`lessons.teacher_ids`, as the platform lists them). */
async function lessonTeachers(
  db: SqlExecutor,
  schoolId: string,
  lessonIds: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const ids = [...new Set(lessonIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await db.query<{ id: string; teacher_ids: string | null }>(
      `SELECT id, teacher_ids FROM lessons WHERE school_id = ? AND id IN (${placeholders(chunk.length)})`,
      [schoolId, ...chunk],
    );
    for (const r of rows) {
      const list = idListOf(r.teacher_ids);
      if (list.length > 0) out.set(r.id, [...new Set([...(out.get(r.id) ?? []), ...list])]);
    }
  }
  return out;
}

/** Every teacher a finding is addressed to: all teachers of its lesson, else its teacher. */
export function responsibleTeachers(f: Pick<OpenFinding, 'teacherId' | 'teacherIds'>): string[] {
  if (f.teacherIds && f.teacherIds.length > 0) return f.teacherIds;
  return f.teacherId ? [f.teacherId] : [];
}

/**
 * When the data the findings come from is as of: the latest finished current check run at or
 * before `asOf` (the mirror's present when it ran), or `asOf` when none is recorded. A digest sent
 * at 13:05 about a check of the 09:30 sync says so.
 */
export async function dataTimeOf(db: SqlExecutor, schoolId: string, asOf: number): Promise<number> {
  const rows = await db.query<{ as_of: number | string }>(
    `SELECT as_of FROM check_runs WHERE school_id = ? AND as_of <= ? AND status = 'succeeded'
       AND ${currentRunSql()} ORDER BY as_of DESC LIMIT 1`,
    [schoolId, asOf],
  );
  return rows[0] ? Number(rows[0].as_of) : asOf;
}
