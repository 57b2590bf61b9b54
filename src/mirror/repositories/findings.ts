import { chunk, placeholders, valuesClause, type SqlExecutor } from '../sql.js';
import { parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * Findings (`findings`) and their opened/resolved/reopened history (`finding_events`): every
 * statement on these tables, rows parsed at the edge. How a check run moves them is the checks'
 * business (src/checks/store.ts); what people did about them is in finding-actions.ts.
 */

/** A finding as a check run writes it (`details`: JSON already). */
export interface FindingWrite {
  key: string;
  rule: string;
  severity: string;
  schoolId: string;
  classId: string | null;
  subjectId: string | null;
  teacherId: string | null;
  studentId: string | null;
  lessonId: string | null;
  date: string | null;
  deadline: number | null;
  message: string;
  details: string;
}

/** The run that sees findings: first/last run ids and seen-at instants are its. */
export interface SeeingRun {
  id: string;
  schoolId: string;
  asOf: number;
}

export const FINDING_EVENT_KINDS = ['opened', 'resolved', 'reopened'] as const;
export type FindingEventKind = (typeof FINDING_EVENT_KINDS)[number];

const FINDING_COLUMNS = [
  'key',
  'rule',
  'severity',
  'school_id',
  'class_id',
  'subject_id',
  'teacher_id',
  'student_id',
  'lesson_id',
  'date',
  'deadline',
  'message',
  'details',
  'first_run_id',
  'last_run_id',
  'first_seen_at',
  'last_seen_at',
  'resolved_at',
  'resolved_run_id',
];
const UPDATED_ON_SEEN = FINDING_COLUMNS.filter(
  (c) => !['key', 'first_run_id', 'first_seen_at'].includes(c),
);
const ROWS_PER_INSERT = Math.floor(8000 / FINDING_COLUMNS.length);
const EVENT_COLUMNS = 'finding_key, run_id, kind, school_id, rule, teacher_id, class_id, at';

/** Whether each of these findings is stored, and resolved (absent: never seen). */
export async function storedState(
  tx: SqlExecutor,
  keys: readonly string[],
): Promise<Map<string, { resolved: boolean }>> {
  const out = new Map<string, { resolved: boolean }>();
  for (const part of chunk([...keys], 500)) {
    const rows = await tx.query(
      `SELECT key, resolved_at FROM findings WHERE key IN (${placeholders(part.length)})`,
      part,
    );
    for (const r of parseRows('findings', rows, (r) => ({
      key: r.text('key'),
      resolved: r.intOrNull('resolved_at') !== null,
    }))) {
      out.set(r.key, { resolved: r.resolved });
    }
  }
  return out;
}

/** Inserts or refreshes the findings seen by `run` (first run and first seen kept; resolution cleared). */
export async function upsertSeen(
  tx: SqlExecutor,
  run: SeeingRun,
  findings: readonly FindingWrite[],
): Promise<void> {
  for (const part of chunk([...findings], ROWS_PER_INSERT)) {
    const params: unknown[] = [];
    for (const f of part) {
      params.push(
        f.key,
        f.rule,
        f.severity,
        f.schoolId,
        f.classId,
        f.subjectId,
        f.teacherId,
        f.studentId,
        f.lessonId,
        f.date,
        f.deadline,
        f.message,
        f.details,
        run.id,
        run.id,
        run.asOf,
        run.asOf,
        null,
        null,
      );
    }
    await tx.run(
      `INSERT INTO findings (${FINDING_COLUMNS.join(', ')}) VALUES ${valuesClause(part.length, FINDING_COLUMNS.length)}
       ON CONFLICT (key) DO UPDATE SET ${UPDATED_ON_SEEN.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      params,
    );
  }
}

/** Appends `opened`/`reopened` events of findings seen by `run`. */
export async function insertEvents(
  tx: SqlExecutor,
  run: SeeingRun,
  events: readonly { kind: FindingEventKind; finding: FindingWrite }[],
): Promise<void> {
  const rows = events.map(({ kind, finding: f }) => [
    f.key,
    run.id,
    kind,
    run.schoolId,
    f.rule,
    f.teacherId,
    f.classId,
    run.asOf,
  ]);
  for (const part of chunk(rows, 900)) {
    await tx.run(
      `INSERT INTO finding_events (${EVENT_COLUMNS}) VALUES ${valuesClause(part.length, 8)}`,
      part.flat(),
    );
  }
}

/**
 * Resolves the school's open findings of `ruleIds` (and of `classIds`, when not null) that
 * `run` did not see, with a `resolved` event each; returns how many.
 */
export async function resolveUnseen(
  tx: SqlExecutor,
  run: SeeingRun,
  scope: { ruleIds: readonly string[]; classIds: readonly string[] | null },
): Promise<number> {
  let sql = `school_id = ? AND resolved_at IS NULL AND last_run_id <> ? AND rule IN (${placeholders(scope.ruleIds.length)})`;
  const params: unknown[] = [run.schoolId, run.id, ...scope.ruleIds];
  if (scope.classIds !== null) {
    sql += ` AND class_id IN (${scope.classIds.length ? placeholders(scope.classIds.length) : 'NULL'})`;
    params.push(...scope.classIds);
  }
  await tx.run(
    `INSERT INTO finding_events (${EVENT_COLUMNS})
     SELECT key, ?, 'resolved', school_id, rule, teacher_id, class_id, ? FROM findings WHERE ${sql}`,
    [run.id, run.asOf, ...params],
  );
  const resolved = await tx.run(
    `UPDATE findings SET resolved_at = ?, resolved_run_id = ? WHERE ${sql}`,
    [run.asOf, run.id, ...params],
  );
  return resolved.changes;
}

/** An unresolved finding with the names of what it is about, as the mirror holds them now. */
export interface UnresolvedFinding {
  key: string;
  rule: string;
  severity: string;
  schoolId: string;
  classId: string | null;
  className: string | null;
  teacherId: string | null;
  teacherName: string | null;
  subjectName: string | null;
  studentName: string | null;
  date: string | null;
  message: string;
  firstSeenAt: number;
}

const listed = (r: RowReader): UnresolvedFinding => ({
  key: r.text('key'),
  rule: r.text('rule'),
  severity: r.text('severity'),
  schoolId: r.text('school_id'),
  classId: r.textOrNull('class_id'),
  className: r.textOrNull('class_name'),
  teacherId: r.textOrNull('teacher_id'),
  teacherName: r.textOrNull('teacher_name'),
  subjectName: r.textOrNull('subject_name'),
  studentName: r.textOrNull('student_name'),
  date: r.textOrNull('date'),
  message: r.text('message'),
  firstSeenAt: r.int('first_seen_at'),
});

/**
 * Unresolved findings (of a school, of rules), with names, ordered by class, date, rule, key.
 * The teacher's and student's names are looked up after the query, from one read of the schools'
 * persons: `persons` has no index on `id` alone (its key is `(source, id)`), so in SQLite a join on
 * it searched every person of the school for each finding (bench/web-pages: 14,634 findings of the
 * large school, 3–5 s; now ~0.1 s). Classes and subjects stay joined (few rows, and the class
 * name is the order).
 */
export async function listUnresolved(
  db: SqlExecutor,
  filter: { schoolId?: string; rules?: readonly string[]; classIds?: readonly string[] } = {},
): Promise<UnresolvedFinding[]> {
  const where = ['f.resolved_at IS NULL'];
  const params: unknown[] = [];
  if (filter.schoolId) {
    where.push('f.school_id = ?');
    params.push(filter.schoolId);
  }
  if (filter.classIds && filter.classIds.length > 0) {
    where.push(`f.class_id IN (${placeholders(filter.classIds.length)})`);
    params.push(...filter.classIds);
  }
  if (filter.rules && filter.rules.length > 0) {
    where.push(`f.rule IN (${placeholders(filter.rules.length)})`);
    params.push(...filter.rules);
  }
  const rows = await db.query(
    `SELECT f.key, f.rule, f.severity, f.school_id, f.class_id, c.name AS class_name,
            f.teacher_id, NULL AS teacher_name, f.student_id, NULL AS student_name,
            s.name AS subject_name, f.date, f.message, f.first_seen_at
       FROM findings f
       LEFT JOIN classes c ON c.id = f.class_id AND c.school_id = f.school_id AND c.deleted_at IS NULL
       LEFT JOIN subjects s ON s.id = f.subject_id AND s.school_id = f.school_id AND s.deleted_at IS NULL
      WHERE ${where.join(' AND ')}
      ORDER BY c.name, f.date, f.rule, f.key`,
    params,
  );
  const parsed = parseRows('findings', rows, (r) => ({
    ...listed(r),
    studentId: r.textOrNull('student_id'),
  }));
  const names = await personNames(db, [...new Set(parsed.map((f) => f.schoolId))]);
  const nameOf = (schoolId: string, id: string | null) =>
    id === null ? null : (names.get(`${schoolId}\u0000${id}`) ?? null);
  return parsed.map(({ studentId, ...f }) => ({
    ...f,
    teacherName: nameOf(f.schoolId, f.teacherId),
    studentName: nameOf(f.schoolId, studentId),
  }));
}

/** Full names of the schools' persons not deleted, by `school\0id`. */
async function personNames(
  db: SqlExecutor,
  schoolIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunk(schoolIds, 500)) {
    const rows = await db.query(
      `SELECT school_id, id, full_name FROM persons
        WHERE school_id IN (${placeholders(part.length)}) AND deleted_at IS NULL`,
      part,
    );
    for (const r of parseRows('persons', rows, (x) => ({
      key: `${x.text('school_id')}\u0000${x.text('id')}`,
      name: x.text('full_name'),
    }))) {
      // Two sources may mirror one person: the join kept either; keep the first.
      if (!out.has(r.key)) out.set(r.key, r.name);
    }
  }
  return out;
}

/** Findings, resolved or not, whose key starts with `prefix` (lower-case `[0-9a-z-]`), no names. */
export async function findByKeyPrefix(
  db: SqlExecutor,
  prefix: string,
): Promise<UnresolvedFinding[]> {
  const rows = await db.query(
    `SELECT f.key, f.rule, f.severity, f.school_id, f.class_id, NULL AS class_name, f.teacher_id,
            NULL AS teacher_name, NULL AS subject_name, NULL AS student_name, f.date, f.message,
            f.first_seen_at
       FROM findings f WHERE f.key LIKE ?`,
    [`${prefix}%`],
  );
  return parseRows('findings', rows, listed);
}

export interface OpenFindingCount {
  school: string;
  rule: string;
  severity: string;
  open: number;
}

/** Unresolved findings counted per school, rule and severity (the metrics). */
export async function openCounts(db: SqlExecutor): Promise<OpenFindingCount[]> {
  const rows = await db.query(
    `SELECT school_id, rule, severity, count(*) AS n FROM findings
     WHERE resolved_at IS NULL GROUP BY school_id, rule, severity`,
  );
  return parseRows('findings', rows, (r) => ({
    school: r.text('school_id'),
    rule: r.text('rule'),
    severity: r.text('severity'),
    open: r.int('n'),
  }));
}

/** A finding's events, oldest first (ties: by their runs' start). */
export async function eventsOf(
  db: SqlExecutor,
  key: string,
): Promise<{ runId: string; kind: FindingEventKind; at: number }[]> {
  const rows = await db.query(
    `SELECT e.run_id, e.kind, e.at FROM finding_events e
     JOIN check_runs r ON r.id = e.run_id
     WHERE e.finding_key = ? ORDER BY e.at, r.started_at`,
    [key],
  );
  return parseRows('finding_events', rows, (r) => ({
    runId: r.text('run_id'),
    kind: r.oneOf('kind', FINDING_EVENT_KINDS),
    at: r.int('at'),
  }));
}

/**
 * Findings of the school open at instant `at` (their latest event at or before it opens or
 * re-opens them), counted per teacher with the teacher's name; most first.
 */
export async function openPerTeacherAt(
  db: SqlExecutor,
  schoolId: string,
  at: number,
  rules?: readonly string[],
): Promise<{ teacherId: string | null; teacherName: string | null; count: number }[]> {
  const ruleFilter = rules?.length ? ` AND rule IN (${placeholders(rules.length)})` : '';
  // Counted first, named after: `persons` has no index on `id` alone, so a join before the
  // grouping searched every person of the school for each finding (3 s at the large school).
  const rows = await db.query(
    `SELECT g.teacher_id, g.n,
            (SELECT max(p.full_name) FROM persons p
              WHERE p.id = g.teacher_id AND p.school_id = ?) AS teacher_name
     FROM (
       SELECT o.teacher_id, count(*) AS n
       FROM (
         SELECT e.finding_key, e.teacher_id, e.kind,
           ROW_NUMBER() OVER (PARTITION BY e.finding_key ORDER BY e.at DESC, r.started_at DESC) AS rn
         FROM finding_events e JOIN check_runs r ON r.id = e.run_id
         WHERE e.school_id = ? AND e.at <= ?${ruleFilter}
       ) o
       WHERE o.rn = 1 AND o.kind <> 'resolved'
       GROUP BY o.teacher_id
     ) g
     ORDER BY g.n DESC, g.teacher_id`,
    [schoolId, schoolId, at, ...(rules ?? [])],
  );
  return parseRows('finding_events', rows, (r) => ({
    teacherId: r.textOrNull('teacher_id'),
    teacherName: r.textOrNull('teacher_name'),
    count: r.int('n'),
  }));
}

/**
 * The school's findings unresolved at `at` (the checks' history) and not waived as of then: a
 * finding whose latest action at or before `at` is a waiver is out of it, and back in from a
 * reopening. What the dashboard's trend counts, so that its last week agrees with the open total.
 */
export async function unwaivedOpenAt(
  db: SqlExecutor,
  schoolId: string,
  at: number,
): Promise<number> {
  const rows = await db.query(
    `SELECT count(*) AS n
     FROM (
       SELECT e.finding_key, e.kind,
         ROW_NUMBER() OVER (PARTITION BY e.finding_key ORDER BY e.at DESC, r.started_at DESC) AS rn
       FROM finding_events e JOIN check_runs r ON r.id = e.run_id
       WHERE e.school_id = ? AND e.at <= ?
     ) o
     WHERE o.rn = 1 AND o.kind <> 'resolved'
       AND NOT EXISTS (
         SELECT 1 FROM finding_actions a
         WHERE a.finding_key = o.finding_key AND a.at <= ? AND a.action = 'waive'
           AND NOT EXISTS (
             SELECT 1 FROM finding_actions b
             WHERE b.finding_key = a.finding_key AND b.at <= ? AND b.seq > a.seq
           )
       )`,
    [schoolId, at, at, at],
  );
  return parseFirst('finding_events', rows, (r) => r.int('n')) ?? 0;
}

/** The school's events between two instants (exclusive..inclusive), counted per teacher and kind. */
export async function eventCountsBetween(
  db: SqlExecutor,
  schoolId: string,
  from: number,
  to: number,
): Promise<{ teacherId: string | null; kind: FindingEventKind; count: number }[]> {
  const rows = await db.query(
    `SELECT teacher_id, kind, count(*) AS n FROM finding_events
     WHERE school_id = ? AND at > ? AND at <= ? GROUP BY teacher_id, kind`,
    [schoolId, from, to],
  );
  return parseRows('finding_events', rows, (r) => ({
    teacherId: r.textOrNull('teacher_id'),
    kind: r.oneOf('kind', FINDING_EVENT_KINDS),
    count: r.int('n'),
  }));
}

/** The school's events between two instants (exclusive..inclusive), oldest first. */
export async function eventsBetween(
  db: SqlExecutor,
  schoolId: string,
  from: number,
  to: number,
): Promise<{ findingKey: string; kind: FindingEventKind }[]> {
  const rows = await db.query(
    `SELECT finding_key, kind FROM finding_events WHERE school_id = ? AND at > ? AND at <= ? ORDER BY at`,
    [schoolId, from, to],
  );
  return parseRows('finding_events', rows, (r) => ({
    findingKey: r.text('finding_key'),
    kind: r.oneOf('kind', FINDING_EVENT_KINDS),
  }));
}

/** A stored finding's own columns (no names, no history). */
export interface StoredFinding {
  key: string;
  rule: string;
  severity: string;
  schoolId: string;
  classId: string | null;
  subjectId: string | null;
  teacherId: string | null;
  studentId: string | null;
  lessonId: string | null;
  date: string | null;
  deadline: number | null;
  message: string;
  firstSeenAt: number;
}

/** The school's findings open now and already seen at `asOf`, by date, rule and key. */
export async function openSeenBy(
  db: SqlExecutor,
  schoolId: string,
  asOf: number,
): Promise<StoredFinding[]> {
  const rows = await db.query(
    `SELECT key, rule, severity, school_id, class_id, subject_id, teacher_id, student_id, lesson_id,
            date, deadline, message, first_seen_at
       FROM findings
      WHERE school_id = ? AND resolved_at IS NULL AND first_seen_at <= ?
      ORDER BY date, rule, key`,
    [schoolId, asOf],
  );
  return parseRows('findings', rows, (r) => ({
    key: r.text('key'),
    rule: r.text('rule'),
    severity: r.text('severity'),
    schoolId: r.text('school_id'),
    classId: r.textOrNull('class_id'),
    subjectId: r.textOrNull('subject_id'),
    teacherId: r.textOrNull('teacher_id'),
    studentId: r.textOrNull('student_id'),
    lessonId: r.textOrNull('lesson_id'),
    date: r.textOrNull('date'),
    deadline: r.intOrNull('deadline'),
    message: r.text('message'),
    firstSeenAt: r.int('first_seen_at'),
  }));
}

/** Schools that have unresolved findings, sorted. */
export async function schoolsWithOpen(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query(
    `SELECT DISTINCT school_id FROM findings WHERE resolved_at IS NULL ORDER BY school_id`,
  );
  return parseRows('findings', rows, (r) => r.text('school_id'));
}
