import * as checkRuns from '../mirror/repositories/check-runs.js';
import * as findings from '../mirror/repositories/findings.js';
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
  const rows = await findings.openSeenBy(db, schoolId, asOf);
  const coTeachers = await lessonTeachers(
    db,
    schoolId,
    rows.flatMap((r) => (r.lessonId ? [r.lessonId] : [])),
  );
  // Field by field: the order is the one alerts have always serialized (webhook payloads).
  return rows.map((r) => ({
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    schoolId: r.schoolId,
    classId: r.classId,
    subjectId: r.subjectId,
    teacherId: r.teacherId,
    teacherIds: teachersOf(r.teacherId, r.lessonId ? coTeachers.get(r.lessonId) : undefined),
    studentId: r.studentId,
    lessonId: r.lessonId,
    date: r.date,
    deadline: r.deadline,
    message: r.message,
    firstSeenAt: r.firstSeenAt,
  }));
}

/** Schools that have open findings (used when the config lists no schools, as in the demo). */
export async function schoolsWithOpenFindings(db: SqlExecutor): Promise<string[]> {
  return findings.schoolsWithOpen(db);
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
  return (await checkRuns.latestSucceededAsOf(db, schoolId, asOf)) ?? asOf;
}
