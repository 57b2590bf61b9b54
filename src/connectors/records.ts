/**
 * Normalized records: what every platform connector yields and what the mirror stores.
 *
 * Conventions (all connectors):
 * - ids are strings, never JS numbers (platform ids are int64 and exceed 2^53);
 * - `LocalDateTime` is a naive local date-time of the school, `YYYY-MM-DDTHH:mm:ss` (fractions allowed);
 * - `LocalDate` is `YYYY-MM-DD` in the school's calendar;
 * - `Moment` is a moment the platform stamps when something is entered: an absolute ISO instant
 *   (`2026-10-05T08:50:12.345Z`) when the connector knows the platform's zone for it, else a
 *   naive `LocalDateTime` of the school;
 * - absent values are `null`, never `undefined`, so that content hashes are stable.
 */

export type Id = string;
export type LocalDate = string;
export type LocalDateTime = string;
export type Moment = string;

export interface SchoolRecord {
  id: Id;
  name: string;
  fullName: string | null;
  city: string | null;
  municipality: string | null;
  /** IANA zone or `UTC+3`-style fixed offset, as far as the platform tells it. */
  timeZone: string | null;
}

export interface ClassRecord {
  id: Id;
  schoolId: Id;
  name: string;
  fullName: string | null;
  /** The grade (параллель), 1..11; null for groups that have none. */
  grade: number | null;
  letter: string | null;
  kind: 'class' | 'group' | 'subgroup';
  parentIds: Id[];
  studyYear: number | null;
  status: string | null;
}

export interface PersonRecord {
  id: Id;
  schoolId: Id;
  role: 'student' | 'teacher' | 'staff';
  lastName: string;
  firstName: string;
  middleName: string | null;
  fullName: string;
  /**
   * Consent to data processing (152-ФЗ). The platform does not publish it; connectors leave it
   * null and the sync applies the school's consent list. Without consent the mirror keeps only the names.
   */
  consent: boolean | null;
  userId: Id | null;
  sex: string | null;
  birthday: LocalDate | null;
  email: string | null;
  phone: string | null;
}

export interface EnrollmentRecord {
  /** `${classId}:${personId}` */
  id: Id;
  classId: Id;
  personId: Id;
  status: 'active' | 'archived';
}

export interface SubjectRecord {
  id: Id;
  schoolId: Id;
  name: string;
  knowledgeArea: string | null;
}

export interface TeacherAssignmentRecord {
  /** `${classId}:${subjectId ?? 'class'}:${teacherId}:${role}` */
  id: Id;
  classId: Id;
  subjectId: Id | null;
  teacherId: Id;
  role: 'subject' | 'class_teacher';
}

export type PeriodType = 'quarter' | 'trimester' | 'half_year' | 'semester' | 'module' | 'year';

export interface ReportingPeriodRecord {
  /** `${classId}:${periodId}`: periods are listed per class on the platform. */
  id: Id;
  periodId: Id;
  classId: Id;
  type: PeriodType;
  number: number;
  name: string;
  start: LocalDate;
  finish: LocalDate;
  year: number | null;
}

export interface WorkTypeRecord {
  id: Id;
  schoolId: Id;
  /** Platform kind, e.g. `LessonControlWork`, `LessonAnswer`, `PeriodMark`. */
  kind: string | null;
  title: string;
  abbr: string | null;
  weight: number | null;
  isFinal: boolean;
}

export interface LessonRecord {
  id: Id;
  /**
   * The class whose journal holds the lesson: for a subgroup's lesson, the class the subgroup is
   * part of (the class whose window fetched it), never the subgroup, so every fetch stores it alike.
   */
  classId: Id;
  /** The subgroup (a `classes` row of kind `subgroup`) that the lesson is for; null: the whole class. */
  groupId: Id | null;
  subjectId: Id;
  date: LocalDate;
  startsAt: LocalDateTime | null;
  number: number | null;
  /** The lesson topic («тема урока»), the platform's `title`. */
  topic: string | null;
  status: string | null;
  teacherIds: Id[];
}

export interface WorkRecord {
  id: Id;
  lessonId: Id | null;
  classId: Id;
  subjectId: Id | null;
  /** Platform work kind: `Homework`, `LessonTestWork`, `PeriodMark`, ... */
  type: string;
  workTypeId: Id | null;
  /** Homework or assignment text. */
  text: string | null;
  targetDate: LocalDateTime | null;
  sentDate: LocalDateTime | null;
  createdBy: Id | null;
  periodNumber: number | null;
  periodType: string | null;
  displayInJournal: boolean;
}

export interface MarkRecord {
  id: Id;
  classId: Id;
  lessonId: Id | null;
  workId: Id | null;
  studentId: Id;
  subjectId: Id | null;
  /** As the platform shows it: "5", "4", "зач", "н/а", "осв". */
  value: string;
  /** Mark system: `mark5`, `markna`, `markdismiss`, `test`, ... */
  markSystem: string | null;
  mood: string | null;
  workTypeId: Id | null;
  countsInAverage: boolean;
  number: number | null;
  /**
   * When the mark was set, as the platform stamps it (Dnevnik: `Mark.date`, UTC with fractions of
   * a second, not the lesson's date); null when the platform tells no such moment.
   */
  enteredAt: Moment | null;
}

export interface FinalMarkRecord {
  id: Id;
  studentId: Id;
  classId: Id;
  subjectId: Id;
  /** The platform's reporting period id; null for a year or exam mark without one. */
  periodId: Id | null;
  periodType: string | null;
  periodNumber: number | null;
  value: string;
  markSystem: string | null;
  date: LocalDateTime | null;
  workId: Id | null;
}

export interface AttendanceRecord {
  /** `${lessonId}:${studentId}` */
  id: Id;
  lessonId: Id;
  studentId: Id;
  classId: Id;
  subjectId: Id | null;
  /** `Attend`, `Absent`, `Ill`, `Late`, `Pass`. */
  status: string;
  /** When the entry was made (Dnevnik: `LessonLogEntry.createdDate`, UTC). */
  createdAt: Moment | null;
  comment: string | null;
}

/** Stream name → record type. The mirror has one table per stream. */
export interface StreamRecords {
  schools: SchoolRecord;
  classes: ClassRecord;
  persons: PersonRecord;
  enrollments: EnrollmentRecord;
  subjects: SubjectRecord;
  teacherAssignments: TeacherAssignmentRecord;
  reportingPeriods: ReportingPeriodRecord;
  workTypes: WorkTypeRecord;
  lessons: LessonRecord;
  works: WorkRecord;
  marks: MarkRecord;
  finalMarks: FinalMarkRecord;
  attendance: AttendanceRecord;
}

export type StreamName = keyof StreamRecords;
export type AnyRecord = StreamRecords[StreamName];

export const STREAM_NAMES = [
  'schools',
  'classes',
  'persons',
  'enrollments',
  'subjects',
  'teacherAssignments',
  'reportingPeriods',
  'workTypes',
  'lessons',
  'works',
  'marks',
  'finalMarks',
  'attendance',
] as const satisfies readonly StreamName[];
