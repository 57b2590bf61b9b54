import type { StreamName, StreamRecords } from '../connectors/records.js';
import type { ColumnType, PartialIndexDef } from './table-def.js';
import { normalizeNullable } from '../platform/text.js';
import { dayStart, localToInstant, momentToInstant } from '../platform/time.js';

/**
 * One descriptor per mirrored stream: its table, its own columns (besides the common bookkeeping
 * columns), how a normalized record becomes a row, and how a fetch scope maps onto rows for
 * deletion inference. Entities, the upsert path and scope deletions are all built from this.
 */

export type { ColumnType } from './table-def.js';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export interface RowContext {
  /** The school's IANA zone, for turning the platform's naive local times into instants. */
  zone: string;
}

export interface TableSpec<S extends StreamName = StreamName> {
  stream: S;
  table: string;
  columns: ColumnSpec[];
  toRow(record: StreamRecords[S], ctx: RowContext): unknown[];
  /** How a fetch scope selects this table's rows, for deletion inference; null: never inferred. */
  scope: {
    /** Column holding the class id (class-level and window scopes). */
    classColumn?: string;
    /** Window filter: a local date column, or the rows of lessons dated in the window. */
    window?: { dateColumn: string } | { viaLessons: string };
  } | null;
  /**
   * Records this table's rows hang under (first: the one a "whole parent emptied" is judged by).
   * A deletion under a parent the fetch could not read (quarantined) is held back.
   */
  parents?: { stream: StreamName; column: string }[];
  /** Extra indexes beyond the primary key: lists of columns. */
  indexes: string[][];
  /** Indexes over some rows only; each added by its own migration. */
  partialIndexes?: PartialIndexDef[];
  /** Indexes on PostgreSQL only (`TableDef.postgresIndexes`). */
  postgresIndexes?: string[][];
  /** Partial indexes on PostgreSQL only (`TableDef.postgresPartialIndexes`). */
  postgresPartialIndexes?: PartialIndexDef[];
}

/** Bookkeeping columns every mirrored table has, before its own columns. */
export const COMMON_COLUMNS: ColumnSpec[] = [
  { name: 'source', type: 'text', nullable: false },
  { name: 'id', type: 'text', nullable: false },
  { name: 'school_id', type: 'text', nullable: false },
  { name: 'content_hash', type: 'text', nullable: false },
  { name: 'version', type: 'integer', nullable: false },
  { name: 'first_seen_at', type: 'bigint', nullable: false },
  { name: 'last_seen_at', type: 'bigint', nullable: false },
  { name: 'deleted_at', type: 'bigint', nullable: true },
];

const t = (name: string, nullable = true): ColumnSpec => ({ name, type: 'text', nullable });
const int = (name: string, nullable = true): ColumnSpec => ({ name, type: 'integer', nullable });
const big = (name: string, nullable = true): ColumnSpec => ({ name, type: 'bigint', nullable });
const dbl = (name: string, nullable = true): ColumnSpec => ({
  name,
  type: 'double precision',
  nullable,
});

const flag = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
const instant = (local: string | null, zone: string): number | null =>
  local ? localToInstant(local, zone) : null;
/** An entry moment: absolute when the connector knows the platform's zone for it. */
const moment = (text: string | null, zone: string): number | null =>
  text ? momentToInstant(text, zone) : null;
const json = (v: unknown[]): string => JSON.stringify(v);

function spec<S extends StreamName>(s: TableSpec<S>): TableSpec<S> {
  return s;
}

/**
 * Marks that carry the platform's entry moment. The checks ask once per run whether any mark
 * does (`src/checks/precision.ts`); without this index that is a scan of every mark (~1.3 s of
 * CPU at 1,000,000 marks on a connector without entry moments), with it one index probe.
 */
export const MARKS_WITH_ENTRY_TIME: PartialIndexDef = Object.freeze({
  name: 'idx_marks_school_id_with_entry_time',
  columns: ['school_id'],
  where: 'entered_at IS NOT NULL',
});

/**
 * Marks with the platform's entry moment (every Dnevnik mark: `Mark.date`) by lesson and entry
 * moment: `mark-late` reads only a lesson's marks entered after its earliest deadline, and decides
 * from the index whether each is late: its work type gives its deadline, source and deletion its
 * liveness; the table row is read only for a late mark (migration 0015). Partial so that only a
 * query saying `entered_at IS NOT NULL` can use it: without table statistics SQLite would
 * otherwise prefer it to `(lesson_id, student_id)` for other probes by lesson.
 */
export const MARKS_ENTERED_BY_LESSON: PartialIndexDef = Object.freeze({
  name: 'idx_marks_lesson_id_entered_at',
  columns: ['lesson_id', 'entered_at', 'work_type_id', 'source', 'deleted_at', 'first_seen_at'],
  where: 'entered_at IS NOT NULL',
});

/**
 * Unsatisfactory five-point marks (~6 % of marks) with what `two-not-corrected` reads of them:
 * it starts from these instead of every mark of every lesson (bench/checks, 1,000,000 marks).
 * The condition is the rule's own literal text; a query without it cannot pick this index.
 */
export const MARKS_TWOS: PartialIndexDef = Object.freeze({
  name: 'idx_marks_twos',
  columns: ['lesson_id', 'student_id', 'source', 'first_seen_at', 'deleted_at', 'id'],
  where: "mark_system = 'mark5' AND value = '2'",
});

/**
 * Absences only (~6 % of attendance entries): `absent-with-mark` reads them instead of every
 * entry (0.84 → 0.40 s at 3.1M entries), `control-work-unmarked` probes one (lesson, student).
 * The condition is the checks' `isAbsent()` text; a query with other statuses reads the table.
 * Wide enough (migration 0009) that `absent-with-mark` tests school, liveness and the mark probe
 * from the index, reading the table only for what it finds, and that a probe by lesson and
 * student matches this index on more columns than the one by lesson.
 */
export const ATTENDANCE_ABSENCES: PartialIndexDef = Object.freeze({
  name: 'idx_attendance_lesson_id_student_id_absent',
  columns: ['lesson_id', 'student_id', 'source', 'first_seen_at', 'deleted_at', 'school_id'],
  where: "status IN ('Absent', 'Ill', 'Pass')",
});

/**
 * The «2»s and the absences again, the school first (PostgreSQL only, migration 0029): in a
 * municipality's mirror `two-not-corrected` and `absent-with-mark` read every school's entries of
 * the indexes above to keep their own school's (bench/README.md, municipality); these give them
 * their school's alone. A SQLite mirror holds one school.
 */
export const MARKS_TWOS_BY_SCHOOL: PartialIndexDef = Object.freeze({
  name: 'idx_marks_school_id_twos',
  columns: ['school_id', ...MARKS_TWOS.columns],
  where: MARKS_TWOS.where,
});

export const ABSENCES_BY_SCHOOL: PartialIndexDef = Object.freeze({
  name: 'idx_attendance_school_id_absent',
  columns: ['school_id', ...ATTENDANCE_ABSENCES.columns.filter((c) => c !== 'school_id')],
  where: ATTENDANCE_ABSENCES.where,
});

export const TABLES = {
  schools: spec({
    stream: 'schools',
    table: 'schools',
    columns: [t('name', false), t('full_name'), t('city'), t('municipality'), t('time_zone')],
    toRow: (r) => [r.name, r.fullName, r.city, r.municipality, r.timeZone],
    scope: null,
    indexes: [],
  }),
  classes: spec({
    stream: 'classes',
    table: 'classes',
    columns: [
      t('name', false),
      t('full_name'),
      int('grade'),
      t('letter'),
      t('kind', false),
      t('parent_ids', false),
      int('study_year'),
      t('status'),
    ],
    toRow: (r) => [
      r.name,
      r.fullName,
      r.grade,
      r.letter,
      r.kind,
      json(r.parentIds),
      r.studyYear,
      r.status,
    ],
    scope: {},
    indexes: [['school_id', 'name']],
  }),
  persons: spec({
    stream: 'persons',
    table: 'persons',
    columns: [
      t('role', false),
      t('last_name', false),
      t('first_name', false),
      t('middle_name'),
      t('full_name', false),
      int('consent', false),
      t('user_id'),
      t('sex'),
      t('birthday'),
      t('email'),
      t('phone'),
    ],
    toRow: (r) => [
      r.role,
      r.lastName,
      r.firstName,
      r.middleName,
      r.fullName,
      r.consent ? 1 : 0,
      r.userId,
      r.sex,
      r.birthday,
      r.email,
      r.phone,
    ],
    // A person fetched with one class may still belong to others: never inferred deleted.
    scope: null,
    indexes: [['school_id', 'role']],
  }),
  enrollments: spec({
    stream: 'enrollments',
    table: 'enrollments',
    columns: [t('class_id', false), t('person_id', false), t('status', false)],
    toRow: (r) => [r.classId, r.personId, r.status],
    scope: { classColumn: 'class_id' },
    indexes: [['class_id'], ['person_id']],
  }),
  subjects: spec({
    stream: 'subjects',
    table: 'subjects',
    columns: [t('name', false), t('knowledge_area')],
    toRow: (r) => [r.name, r.knowledgeArea],
    scope: {},
    indexes: [],
  }),
  teacherAssignments: spec({
    stream: 'teacherAssignments',
    table: 'teacher_assignments',
    columns: [t('class_id', false), t('subject_id'), t('teacher_id', false), t('role', false)],
    toRow: (r) => [r.classId, r.subjectId, r.teacherId, r.role],
    scope: { classColumn: 'class_id' },
    indexes: [['class_id'], ['teacher_id']],
  }),
  reportingPeriods: spec({
    stream: 'reportingPeriods',
    table: 'reporting_periods',
    columns: [
      t('period_id', false),
      t('class_id', false),
      t('type', false),
      int('number', false),
      t('name', false),
      t('start_date', false),
      t('finish_date', false),
      int('year'),
    ],
    toRow: (r) => [r.periodId, r.classId, r.type, r.number, r.name, r.start, r.finish, r.year],
    scope: { classColumn: 'class_id' },
    indexes: [['class_id'], ['period_id']],
  }),
  workTypes: spec({
    stream: 'workTypes',
    table: 'work_types',
    columns: [t('kind'), t('title', false), t('abbr'), dbl('weight'), int('is_final', false)],
    toRow: (r) => [r.kind, r.title, r.abbr, r.weight, flag(r.isFinal)],
    scope: {},
    indexes: [],
  }),
  lessons: spec({
    stream: 'lessons',
    table: 'lessons',
    columns: [
      t('class_id', false),
      t('subject_id', false),
      t('date', false),
      big('day_start_at', false),
      t('starts_at'),
      int('number'),
      t('topic'),
      t('status'),
      t('teacher_ids', false),
      t('teacher_id'),
      /** The topic as `topic-missing` judges it (`normalizeText`); null when the topic is. */
      t('topic_norm'),
      /** The subgroup the lesson is for (migration 0016); null for a whole-class lesson. */
      t('group_id'),
    ],
    toRow: (r, ctx) => [
      r.classId,
      r.subjectId,
      r.date,
      dayStart(r.date, ctx.zone),
      r.startsAt,
      r.number,
      r.topic,
      r.status,
      json(r.teacherIds),
      r.teacherIds[0] ?? null,
      normalizeNullable(r.topic),
      r.groupId,
    ],
    scope: { classColumn: 'class_id', window: { dateColumn: 'date' } },
    indexes: [['class_id', 'date'], ['subject_id', 'class_id'], ['teacher_id']],
    // The checks read a whole school's lessons: in a municipality's mirror (migration 0028).
    postgresIndexes: [['school_id']],
  }),
  works: spec({
    stream: 'works',
    table: 'works',
    columns: [
      t('lesson_id'),
      t('class_id', false),
      t('subject_id'),
      t('type', false),
      t('work_type_id'),
      t('text'),
      t('target_date'),
      t('sent_date'),
      big('sent_at'),
      t('created_by'),
      int('period_number'),
      t('period_type'),
      int('display_in_journal', false),
    ],
    toRow: (r, ctx) => [
      r.lessonId,
      r.classId,
      r.subjectId,
      r.type,
      r.workTypeId,
      r.text,
      r.targetDate,
      r.sentDate,
      instant(r.sentDate, ctx.zone),
      r.createdBy,
      r.periodNumber,
      r.periodType,
      flag(r.displayInJournal),
    ],
    scope: { classColumn: 'class_id', window: { viaLessons: 'lesson_id' } },
    parents: [{ stream: 'lessons', column: 'lesson_id' }],
    indexes: [['lesson_id'], ['class_id', 'type']],
    postgresIndexes: [['school_id']],
  }),
  marks: spec({
    stream: 'marks',
    table: 'marks',
    columns: [
      t('class_id', false),
      t('lesson_id'),
      t('work_id'),
      t('student_id', false),
      t('subject_id'),
      t('value', false),
      t('mark_system'),
      t('mood'),
      t('date'),
      t('work_type_id'),
      int('counts_in_average', false),
      int('number'),
      big('entered_at'),
    ],
    toRow: (r, ctx) => [
      r.classId,
      r.lessonId,
      r.workId,
      r.studentId,
      r.subjectId,
      r.value,
      r.markSystem,
      r.mood,
      // The platform's `Mark.date` as it came: when the mark was set, not the lesson's date.
      r.enteredAt,
      r.workTypeId,
      flag(r.countsInAverage),
      r.number,
      moment(r.enteredAt, ctx.zone),
    ],
    // The platform windows marks by their lesson's date, not their own (reference §7): a mark
    // set on Monday for Friday's lesson comes back in Friday's window, so only the lessons of a
    // window say which marks a complete fetch of it must hold. A mark without a lesson is never
    // inferred deleted.
    scope: { classColumn: 'class_id', window: { viaLessons: 'lesson_id' } },
    parents: [
      { stream: 'lessons', column: 'lesson_id' },
      { stream: 'works', column: 'work_id' },
    ],
    // (lesson_id, student_id) and (work_id, …) serve the checks (absent-with-mark,
    // two-not-corrected, control-work-unmarked) as well as lookups by lesson; the latter
    // answers "has this student a live mark for this work?" from the index (migration 0009).
    indexes: [
      ['class_id', 'date'],
      ['lesson_id', 'student_id'],
      ['work_id', 'student_id', 'source', 'first_seen_at', 'deleted_at'],
      ['student_id', 'subject_id'],
    ],
    partialIndexes: [MARKS_WITH_ENTRY_TIME, MARKS_ENTERED_BY_LESSON, MARKS_TWOS],
    postgresPartialIndexes: [MARKS_TWOS_BY_SCHOOL],
  }),
  finalMarks: spec({
    stream: 'finalMarks',
    table: 'final_marks',
    columns: [
      t('student_id', false),
      t('class_id', false),
      t('subject_id', false),
      t('period_id'),
      t('period_type'),
      int('period_number'),
      t('value', false),
      t('mark_system'),
      t('date'),
      t('work_id'),
    ],
    toRow: (r) => [
      r.studentId,
      r.classId,
      r.subjectId,
      r.periodId,
      r.periodType,
      r.periodNumber,
      r.value,
      r.markSystem,
      r.date,
      r.workId,
    ],
    scope: { classColumn: 'class_id' },
    // (class, subject, student, period): the period rules probe "has this student a period mark?"
    // once per student, subject and period (migration 0007).
    indexes: [['class_id', 'subject_id', 'student_id', 'period_id'], ['student_id']],
    postgresIndexes: [['school_id']],
  }),
  attendance: spec({
    stream: 'attendance',
    table: 'attendance',
    columns: [
      t('lesson_id', false),
      t('student_id', false),
      t('class_id', false),
      t('subject_id'),
      t('status', false),
      big('created_at'),
      t('comment'),
    ],
    toRow: (r, ctx) => [
      r.lessonId,
      r.studentId,
      r.classId,
      r.subjectId,
      r.status,
      moment(r.createdAt, ctx.zone),
      r.comment,
    ],
    scope: { classColumn: 'class_id', window: { viaLessons: 'lesson_id' } },
    parents: [{ stream: 'lessons', column: 'lesson_id' }],
    // Covering "has this lesson a live entry?" (attendance-not-kept); migration 0009.
    indexes: [
      ['lesson_id', 'source', 'first_seen_at', 'deleted_at'],
      ['class_id', 'student_id'],
    ],
    partialIndexes: [ATTENDANCE_ABSENCES],
    postgresPartialIndexes: [ABSENCES_BY_SCHOOL],
  }),
} satisfies { [S in StreamName]: TableSpec<S> };

export function tableOf<S extends StreamName>(stream: S): TableSpec<S> {
  return TABLES[stream] as unknown as TableSpec<S>;
}

export const ALL_TABLES: TableSpec[] = Object.values(TABLES) as TableSpec[];
