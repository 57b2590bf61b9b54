import {
  CURRENT_MARK,
  gradedMark,
  isAbsent,
  NOT_CURRENT_SETS,
  numericMark,
} from '../checks/common.js';
import {
  attendanceAt,
  enrolledAt,
  lessonAt,
  markAt,
  structureAt,
  workAt,
} from '../checks/existence.js';
import { joinSql, raw, sql, type Fragment } from '../checks/sql-fragment.js';
import { instantToLocalDate } from '../platform/time.js';
import type { MarkSums } from './averages.js';
import type { AnalyticsScope } from './scope.js';
import type { Week } from './weeks.js';

/**
 * The analytics layer's reads of the mirror, in SQL like the checks: each one a grouped pass
 * driven by the lessons of one class in a range of dates (the `(class_id, date)` index of
 * lessons), then their marks (`(lesson_id, student_id)`) and absences (`(lesson_id, …)` and the
 * partial index of absences). Weeks arrive as a VALUES table from JS, so no dialect's date
 * arithmetic is needed and one statement runs on SQLite and PostgreSQL alike.
 */

export interface ClassPeriod {
  periodId: string;
  name: string;
  type: string;
  start: string;
  finish: string;
}

export interface ClassInfo {
  id: string;
  name: string;
  grade: number | null;
}

export interface StudentInfo {
  id: string;
  name: string;
}

export interface WeekCell extends MarkSums {
  week: number;
  subjectId: string;
  studentId: string;
}

export interface WeekAbsences {
  week: number;
  subjectId: string;
  studentId: string;
  absences: number;
}

export interface WeekLessons {
  week: number;
  subjectId: string;
  /** The subgroup the lessons were for; null: the whole class. */
  groupId: string | null;
  /** Lessons on days up to `asOf`'s local date. */
  held: number;
  /** Lessons after it that the mirror already holds (the schedule), as of `asOf`. */
  ahead: number;
}

export interface MarkEntry {
  studentId: string;
  subjectId: string;
  date: string;
  value: string;
  /** The work type's weight (null: none set, counts 1). */
  weight: number | null;
  workType: string | null;
}

/** Classes of the school as of `asOf` (name or id). */
export async function findClasses(scope: AnalyticsScope): Promise<ClassInfo[]> {
  const q = sql`SELECT c.id, c.name, c.grade FROM classes c
    WHERE c.school_id = ${scope.schoolId} AND c.kind = 'class' AND ${structureAt('c', scope)}
    ORDER BY c.name, c.id`;
  const rows = await scope.db.query<{ id: string; name: string; grade: number | string | null }>(
    q.text,
    q.params,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    grade: r.grade === null ? null : Number(r.grade),
  }));
}

/** The class's reporting periods (not the year), in order. */
export async function classPeriods(scope: AnalyticsScope, classId: string): Promise<ClassPeriod[]> {
  const q = sql`SELECT p.period_id, p.name, p.type, p.start_date, p.finish_date
    FROM reporting_periods p
    WHERE p.school_id = ${scope.schoolId} AND p.class_id = ${classId} AND p.type <> 'year'
      AND ${structureAt('p', scope)}
    ORDER BY p.start_date, p.period_id`;
  const rows = await scope.db.query<{
    period_id: string;
    name: string;
    type: string;
    start_date: string;
    finish_date: string;
  }>(q.text, q.params);
  return rows.map((r) => ({
    periodId: r.period_id,
    name: r.name,
    type: r.type,
    start: r.start_date,
    finish: r.finish_date,
  }));
}

/** Students enrolled in the class at `asOf`, by name. */
export async function classStudents(
  scope: AnalyticsScope,
  classId: string,
): Promise<StudentInfo[]> {
  const q = sql`SELECT e.person_id, p.full_name FROM enrollments e
    JOIN persons p ON p.source = e.source AND p.id = e.person_id
    WHERE e.school_id = ${scope.schoolId} AND e.class_id = ${classId} AND e.status = 'active'
      AND ${enrolledAt('e', scope)}
    ORDER BY p.full_name, e.person_id`;
  const rows = await scope.db.query<{ person_id: string; full_name: string }>(q.text, q.params);
  return rows.map((r) => ({ id: r.person_id, name: r.full_name }));
}

/** Subject names by id. */
export async function subjectNames(
  scope: AnalyticsScope,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const q = sql`SELECT id, name FROM subjects WHERE school_id = ${scope.schoolId}
    AND id IN (${joinSql(
      ids.map((id) => sql`${id}`),
      ', ',
    )})`;
  const rows = await scope.db.query<{ id: string; name: string }>(q.text, q.params);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function weeksTable(weeks: readonly Week[]): Fragment {
  const tuples = weeks.map((w) => sql`(${w.n}, CAST(${w.start} AS text), CAST(${w.end} AS text))`);
  return sql`wk(wn, ws, we) AS (VALUES ${joinSql(tuples, ', ')})`;
}

/** The class's lessons in the weeks, existing at `asOf`, each with its week (a CTE `ls`). */
function lessonsCte(scope: AnalyticsScope, classId: string, weeks: readonly Week[]): Fragment {
  const first = weeks[0]!.start;
  const last = weeks[weeks.length - 1]!.end;
  return sql`${weeksTable(weeks)},
    ls AS MATERIALIZED (
      SELECT l.source, l.id, l.subject_id, l.group_id, l.date, wk.wn
      FROM lessons l JOIN wk ON l.date >= wk.ws AND l.date <= wk.we
      WHERE l.class_id = ${classId} AND l.date >= ${first} AND l.date <= ${last}
        AND l.school_id = ${scope.schoolId} AND ${lessonAt('l', scope)})`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * Per week, subject and student: the marks that grade (the norm's count), and of the five-point
 * marks counted in the average their number, plain sum, weighted sum and weights. Current marks
 * only (not period or exam marks), as the checks count them.
 */
export async function weekMarkSums(
  scope: AnalyticsScope,
  classId: string,
  weeks: readonly Week[],
): Promise<WeekCell[]> {
  if (weeks.length === 0) return [];
  const averaged = sql`(${numericMark('m')} AND m.counts_in_average = 1)`;
  const weight = raw('coalesce(wts.weight, CAST(1 AS double precision))');
  const q = sql`WITH ${lessonsCte(scope, classId, weeks)},
    ${NOT_CURRENT_SETS},
    wts AS MATERIALIZED (SELECT source, id, weight FROM work_types WHERE weight IS NOT NULL)
    SELECT ls.wn, ls.subject_id, m.student_id, count(*) AS marks,
      sum(CASE WHEN ${averaged} THEN 1 ELSE 0 END) AS averaged,
      sum(CASE WHEN ${averaged} THEN CAST(m.value AS integer) ELSE 0 END) AS plain_sum,
      sum(CASE WHEN ${averaged} THEN CAST(m.value AS integer) * ${weight} ELSE 0 END) AS weighted_sum,
      sum(CASE WHEN ${averaged} THEN ${weight} ELSE 0 END) AS weight_sum
    FROM ls
    JOIN marks m ON m.source = ls.source AND m.lesson_id = ls.id
    LEFT JOIN wts ON wts.source = m.source AND wts.id = m.work_type_id
    WHERE m.school_id = ${scope.schoolId} AND ${markAt('m', scope, 'present')}
      AND ${gradedMark('m')} AND ${CURRENT_MARK}
    GROUP BY ls.wn, ls.subject_id, m.student_id`;
  const rows = await scope.db.query<Record<string, unknown>>(q.text, q.params);
  return rows.map((r) => ({
    week: num(r.wn),
    subjectId: String(r.subject_id),
    studentId: String(r.student_id),
    marks: num(r.marks),
    averaged: num(r.averaged),
    plainSum: num(r.plain_sum),
    weightedSum: num(r.weighted_sum),
    weightSum: num(r.weight_sum),
  }));
}

/** Absences («н», illness, truancy) per week, subject and student. */
export async function weekAbsences(
  scope: AnalyticsScope,
  classId: string,
  weeks: readonly Week[],
): Promise<WeekAbsences[]> {
  if (weeks.length === 0) return [];
  const q = sql`WITH ${lessonsCte(scope, classId, weeks)}
    SELECT ls.wn, ls.subject_id, a.student_id, count(*) AS n
    FROM ls JOIN attendance a ON a.source = ls.source AND a.lesson_id = ls.id
    WHERE a.school_id = ${scope.schoolId} AND ${isAbsent('a')} AND ${attendanceAt('a', scope, 'present')}
    GROUP BY ls.wn, ls.subject_id, a.student_id`;
  const rows = await scope.db.query<Record<string, unknown>>(q.text, q.params);
  return rows.map((r) => ({
    week: num(r.wn),
    subjectId: String(r.subject_id),
    studentId: String(r.student_id),
    absences: num(r.n),
  }));
}

/** Lessons per week and subject: held by `asOf`'s day, and scheduled after it. */
export async function weekLessons(
  scope: AnalyticsScope,
  classId: string,
  weeks: readonly Week[],
): Promise<WeekLessons[]> {
  if (weeks.length === 0) return [];
  const today = instantToLocalDate(scope.asOf, scope.zone);
  const q = sql`WITH ${lessonsCte(scope, classId, weeks)}
    SELECT ls.wn, ls.subject_id, ls.group_id,
      sum(CASE WHEN ls.date <= ${today} THEN 1 ELSE 0 END) AS held,
      sum(CASE WHEN ls.date > ${today} THEN 1 ELSE 0 END) AS ahead
    FROM ls GROUP BY ls.wn, ls.subject_id, ls.group_id`;
  const rows = await scope.db.query<Record<string, unknown>>(q.text, q.params);
  return rows.map((r) => ({
    week: num(r.wn),
    subjectId: String(r.subject_id),
    groupId: r.group_id === null || r.group_id === undefined ? null : String(r.group_id),
    held: num(r.held),
    ahead: num(r.ahead),
  }));
}

/** Each current mark of the class (or one student) in `[from, to]`, oldest first: the "latest marks". */
export async function marksBetween(
  scope: AnalyticsScope,
  classId: string,
  from: string,
  to: string,
  studentId?: string,
): Promise<MarkEntry[]> {
  const week: Week = { n: 1, start: from, end: to };
  const only = studentId ? sql` AND m.student_id = ${studentId}` : raw('');
  const q = sql`WITH ${lessonsCte(scope, classId, [week])},
    ${NOT_CURRENT_SETS}
    SELECT m.student_id, ls.subject_id, ls.date, m.value, wt.weight, wt.title
    FROM ls
    JOIN marks m ON m.source = ls.source AND m.lesson_id = ls.id
    LEFT JOIN work_types wt ON wt.source = m.source AND wt.id = m.work_type_id
    WHERE m.school_id = ${scope.schoolId} AND ${markAt('m', scope, 'present')}
      AND ${gradedMark('m')} AND ${CURRENT_MARK}${only}
    ORDER BY ls.date, m.student_id, ls.subject_id, m.id`;
  const rows = await scope.db.query<Record<string, unknown>>(q.text, q.params);
  return rows.map((r) => ({
    studentId: String(r.student_id),
    subjectId: String(r.subject_id),
    date: String(r.date),
    value: String(r.value),
    weight: r.weight === null || r.weight === undefined ? null : Number(r.weight),
    workType: r.title === null || r.title === undefined ? null : String(r.title),
  }));
}

export interface HomeworkEntry {
  subjectId: string;
  date: string;
  text: string;
}

/**
 * Homework set at the class's lessons in `[from, to]` (works of type Homework with a text). With a
 * student: the lessons of the whole class and of the subgroups they belong to (a student of
 * English «гр. 1» has no homework from «гр. 2»).
 */
export async function homeworkBetween(
  scope: AnalyticsScope,
  classId: string,
  from: string,
  to: string,
  studentId?: string,
): Promise<HomeworkEntry[]> {
  const week: Week = { n: 1, start: from, end: to };
  const ownGroups = studentId
    ? sql` AND (ls.group_id IS NULL OR EXISTS (SELECT 1 FROM enrollments e
        WHERE e.source = ls.source AND e.class_id = ls.group_id AND e.person_id = ${studentId}
          AND e.status = 'active' AND ${enrolledAt('e', scope)}))`
    : raw('');
  const q = sql`WITH ${lessonsCte(scope, classId, [week])}
    SELECT ls.subject_id, ls.date, w.text FROM ls
    JOIN works w ON w.source = ls.source AND w.lesson_id = ls.id
    WHERE w.type = 'Homework' AND w.text IS NOT NULL AND ${workAt('w', scope, 'present')}${ownGroups}
    ORDER BY ls.date, ls.subject_id, w.id`;
  const rows = await scope.db.query<{ subject_id: string; date: string; text: string }>(
    q.text,
    q.params,
  );
  return rows.map((r) => ({ subjectId: r.subject_id, date: r.date, text: r.text }));
}

/** Active members of the given subgroups at `asOf` (as mark-accumulation counts them): group id → person ids. */
export async function groupMembers(
  scope: AnalyticsScope,
  groupIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const members = new Map<string, Set<string>>();
  if (groupIds.length === 0) return members;
  const q = sql`SELECT e.class_id, e.person_id FROM enrollments e
    WHERE e.school_id = ${scope.schoolId} AND e.class_id IN (${joinSql(
      groupIds.map((g) => sql`${g}`),
      ', ',
    )}) AND e.status = 'active' AND ${enrolledAt('e', scope)}`;
  const rows = await scope.db.query<{ class_id: string; person_id: string }>(q.text, q.params);
  for (const r of rows) {
    const set = members.get(String(r.class_id)) ?? new Set<string>();
    set.add(String(r.person_id));
    members.set(String(r.class_id), set);
  }
  return members;
}

/** The classes a student is enrolled in at `asOf` (normally one). */
export async function classesOfStudent(
  scope: AnalyticsScope,
  studentId: string,
): Promise<string[]> {
  const q = sql`SELECT e.class_id FROM enrollments e
    JOIN classes c ON c.source = e.source AND c.id = e.class_id AND c.kind = 'class'
    WHERE e.school_id = ${scope.schoolId} AND e.person_id = ${studentId} AND e.status = 'active'
      AND ${enrolledAt('e', scope)}
    ORDER BY e.class_id`;
  const rows = await scope.db.query<{ class_id: string }>(q.text, q.params);
  return rows.map((r) => r.class_id);
}

/** Students of the school (id and full name), for finding one by name. */
export async function schoolStudents(scope: AnalyticsScope): Promise<StudentInfo[]> {
  const q = sql`SELECT p.id, p.full_name FROM persons p
    WHERE p.school_id = ${scope.schoolId} AND p.role = 'student' AND ${structureAt('p', scope)}`;
  const rows = await scope.db.query<{ id: string; full_name: string }>(q.text, q.params);
  return rows.map((r) => ({ id: r.id, name: r.full_name }));
}
