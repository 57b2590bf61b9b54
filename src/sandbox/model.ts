import type { YearCalendar, PeriodKind } from './calendar.js';

/**
 * The sandbox's internal model. It mirrors the normalized records (`src/connectors/records.ts`)
 * plus the timeline: every journal row has the instant it appears on the platform, the instant
 * it is deleted (or null) and dated edits, so the platform's state at any instant is a pure
 * function of the generated rows. Ids are decimal strings (the big ones exceed 2^53).
 */

/** A timeline edit: from `at` on, the row shows `patch`. */
export interface Edit<T> {
  at: number;
  patch: Partial<T>;
}

export interface Timed<T> {
  appearAt: number;
  deletedAt: number | null;
  edits?: Edit<T>[];
}

export interface PersonModel {
  id: string;
  userId: string;
  lastName: string;
  firstName: string;
  middleName: string;
  sex: 'Male' | 'Female';
  birthday: string;
}

export interface StudentModel extends PersonModel {
  /** Day number (local) from which the student is archived (left the school), or null. */
  leaveDay: number | null;
}

export interface TeacherModel extends PersonModel {
  subjectKeys: string[];
  startDate: string;
  email: string;
}

export interface SubjectModel {
  id: string;
  key: string;
  name: string;
  knowledgeArea: string;
}

export interface PeriodModel {
  /** Platform reporting period id (shared by the classes of one period plan). */
  id: string;
  kind: PeriodKind;
  number: number;
  name: string;
  start: string;
  finish: string;
  startDay: number;
  finishDay: number;
}

export interface ClassSubject {
  subjectId: string;
  key: string;
  hours: number;
  teacherId: string;
}

/**
 * A subgroup (reference §7): an edu-group of type `Subgroup` whose `parentIds` name its class.
 * A split subject's lessons are the subgroups' lessons: each comes back with the class's lessons,
 * naming the subgroup in `group`, and concerns the subgroup's members only.
 */
export interface SubgroupModel {
  id: string;
  parentId: string;
  /** As the platform lists it, e.g. «Английский язык, гр. 1». */
  name: string;
  subjectKey: string;
  subjectId: string;
  /** 1, 2: the group's number within its subject. */
  number: number;
  teacherId: string;
  studentIds: string[];
}

export interface ClassModel {
  id: string;
  index: number;
  grade: number;
  letter: string;
  name: string;
  classTeacherId: string;
  students: StudentModel[];
  subjects: ClassSubject[];
  /** Subject keys by ISO weekday (1..5), in lesson-number order. */
  timetable: string[][];
  periods: PeriodModel[];
  /** Subgroups of the class's split subjects (none below grade 5). */
  groups: SubgroupModel[];
}

export interface SchoolModel {
  index: number;
  id: string;
  name: string;
  fullName: string;
  city: string;
  municipality: string;
  /** IANA zone and its fixed offset in hours (Russian zones have no DST). */
  zone: string;
  offsetHours: number;
  token: string;
  /** Code and refresh token accepted by `POST authorizations` for this school's token. */
  authCode: string;
  refreshToken: string;
  seed: string;
  calendar: YearCalendar;
  /** Sandbox start instant (07:00 local of the first school). */
  t0: number;
  subjects: SubjectModel[];
  teachers: TeacherModel[];
  admin: PersonModel;
  classes: ClassModel[];
  periods: PeriodModel[];
}

export interface LessonRow extends Timed<LessonRow> {
  id: string;
  classId: string;
  /** The subgroup the lesson is for (a split subject), or null for the whole class. */
  groupId: string | null;
  subjectId: string;
  subjectKey: string;
  day: number;
  date: string;
  number: number;
  /** Local naive start date-time. */
  startsAt: string;
  /** Instant of local midnight of the lesson day (`day_start_at`). */
  dayStart: number;
  teacherId: string;
  /** Further teachers of the lesson (a lesson taught by two), after `teacherId`. */
  coTeacherIds?: string[];
  topic: string | null;
  /**
   * Position among the lessons of its series (0-based, by date then number): the class's lessons
   * of the subject, or the subgroup's for a split subject.
   */
  seq: number;
}

export interface WorkRow extends Timed<WorkRow> {
  id: string;
  lessonId: string | null;
  classId: string;
  subjectId: string;
  /** Platform work type string: `DefaultNewLessonWork`, `LessonTestWork`, `Homework`, `PeriodMark`. */
  type: string;
  workTypeId: number;
  kind: string;
  text: string | null;
  targetDate: string | null;
  sentDate: string | null;
  createdBy: string;
  periodNumber: number | null;
  periodType: PeriodKind | null;
}

export interface MarkRow extends Timed<MarkRow> {
  id: string;
  classId: string;
  lessonId: string;
  workId: string;
  studentId: string;
  subjectId: string;
  value: string;
  /** Day of the lesson: the platform windows marks by it. (`Mark.date` is `appearAt`, in UTC.) */
  day: number;
  workTypeId: number;
  kind: string;
  countsInAverage: boolean;
  /** Mark system (`mark5` when absent): `mark10`, `test` (зач/незач), `markna`, `markdismiss`. */
  markSystem?: string;
  /** Position when a work has several marks for the student (a «5/4» double mark). */
  number?: number;
  /** Generation-only: a mark other rows rely on (a «2»'s correction): never edited or deleted. */
  locked?: boolean;
}

export interface FinalMarkRow extends Timed<FinalMarkRow> {
  id: string;
  workId: string;
  classId: string;
  subjectId: string;
  studentId: string;
  /** Null for a year or exam mark, outside every reporting period. */
  periodId: string | null;
  periodNumber: number | null;
  periodKind: PeriodKind | null;
  value: string;
  /** Mark system (`mark5` when absent). */
  markSystem?: string;
  /** Local naive date-time (with fractions sometimes). */
  date: string;
  day: number;
}

export interface AttendanceRow extends Timed<AttendanceRow> {
  lessonId: string;
  studentId: string;
  classId: string;
  subjectId: string;
  day: number;
  status: 'Attend' | 'Absent' | 'Ill' | 'Late' | 'Pass';
  /** `LessonLogEntry.createdDate`: when the entry was made, naive UTC (reference §7). */
  createdDate: string;
  comment: string | null;
}

/** One class's journal for the whole year, rows sorted by day (then number). */
export interface Journal {
  classId: string;
  lessons: LessonRow[];
  works: WorkRow[];
  marks: MarkRow[];
  attendance: AttendanceRow[];
  finalWorks: WorkRow[];
  finalMarks: FinalMarkRow[];
  planted: PlantedViolation[];
}

export type RuleId =
  | 'mark-late'
  | 'topic-missing'
  | 'homework-missing'
  | 'grade1-mark'
  | 'grade1-homework'
  | 'final-mark-missing'
  | 'final-mark-early'
  | 'mark-accumulation'
  | 'final-mark-objectivity'
  | 'control-work-unmarked'
  | 'absent-with-mark'
  | 'attendance-not-kept'
  | 'two-not-corrected';

export const RULE_IDS: readonly RuleId[] = [
  'mark-late',
  'topic-missing',
  'homework-missing',
  'grade1-mark',
  'grade1-homework',
  'final-mark-missing',
  'final-mark-early',
  'mark-accumulation',
  'final-mark-objectivity',
  'control-work-unmarked',
  'absent-with-mark',
  'attendance-not-kept',
  'two-not-corrected',
];

/** The key parts of a finding (docs/rules.md, "finding per"); unused parts are null. */
export interface FindingKey {
  rule: RuleId;
  class: string | null;
  subject: string | null;
  student: string | null;
  lesson: string | null;
  work: string | null;
  mark: string | null;
  period: string | null;
}

/** What the generator planted, for tests: the finding it should cause. */
export interface PlantedViolation extends FindingKey {
  /** Informational: when the violation is (first) on the platform. */
  at: number;
  /** For a passing violation (a topic filled late): when it is fixed by the timeline. */
  until: number | null;
}
