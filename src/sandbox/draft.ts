import { schoolSalt } from './school.js';
import { idSequence } from './ids.js';
import type {
  AttendanceRow,
  ClassModel,
  FinalMarkRow,
  LessonRow,
  MarkRow,
  PlantedViolation,
  SchoolModel,
  StudentModel,
  WorkRow,
} from './model.js';
import { rngFor, type Rng } from './random.js';
import { localDayOf } from './local-time.js';

/**
 * The working state while one class's journal is generated. The stages (`journal.ts`,
 * `marks.ts`, `planting.ts`, `churn.ts`, `final-marks.ts`) fill it in order; planted violations
 * reserve lessons and block (student, lesson) pairs so later stages keep everything else clean.
 */
export interface Draft {
  school: SchoolModel;
  cls: ClassModel;
  rng: Rng;
  offset: number;
  /** Local day of the sandbox start: what is before it is "past" when planting. */
  t0Day: number;
  lessons: LessonRow[];
  lessonById: Map<string, LessonRow>;
  /** Every lesson of a subject, the subgroups' included, by date then number. */
  bySubject: Map<string, LessonRow[]>;
  /** Lessons by series (`seriesKey`): a subject's class lessons, or one subgroup's. */
  bySeries: Map<string, LessonRow[]>;
  /** Subgroup id → its students' ids. */
  groupMembers: Map<string, Set<string>>;
  classWork: Map<string, WorkRow>;
  homework: Map<string, WorkRow>;
  works: WorkRow[];
  attendance: AttendanceRow[];
  /** `${studentId}|${lessonId}` → attendance row. */
  attendanceOf: Map<string, AttendanceRow>;
  marks: MarkRow[];
  finalWorks: WorkRow[];
  finalMarks: FinalMarkRow[];
  planted: PlantedViolation[];
  /** Lessons touched by a planted violation: no other stage changes them. */
  reserved: Set<string>;
  /** `${studentId}|${lessonId}`: no mark may be given / no «2» may be given there. */
  noMark: Set<string>;
  noTwo: Set<string>;
  /** `${studentId}|${lessonId}` → a mark that must be given (corrections, planted marks). */
  forced: Map<string, { value: string; appearAt?: number; locked?: boolean }>;
  /** `${studentId}|${subjectId}|${periodId}` kept below the accumulation norm on purpose. */
  underNorm: Set<string>;
  /** Planted violations keyed by a mark that `buildMarks` creates later. */
  markPlants: { rule: 'two-not-corrected' | 'mark-late'; studentId: string; lessonId: string }[];
  nextLessonId: () => string;
  nextWorkId: () => string;
  nextMarkId: () => string;
  nextFinalWorkId: () => string;
  nextFinalMarkId: () => string;
}

export function newDraft(school: SchoolModel, cls: ClassModel): Draft {
  const salt = schoolSalt(school);
  return {
    school,
    cls,
    rng: rngFor(school.seed, 'journal', school.index, cls.index),
    offset: school.offsetHours,
    t0Day: localDayOf(school.t0, school.offsetHours),
    lessons: [],
    lessonById: new Map(),
    bySubject: new Map(),
    bySeries: new Map(),
    groupMembers: new Map(cls.groups.map((g) => [g.id, new Set(g.studentIds)])),
    classWork: new Map(),
    homework: new Map(),
    works: [],
    attendance: [],
    attendanceOf: new Map(),
    marks: [],
    finalWorks: [],
    finalMarks: [],
    planted: [],
    reserved: new Set(),
    noMark: new Set(),
    noTwo: new Set(),
    forced: new Map(),
    underNorm: new Set(),
    markPlants: [],
    nextLessonId: idSequence('lesson', salt, cls.index),
    nextWorkId: idSequence('work', salt, cls.index),
    nextMarkId: idSequence('mark', salt, cls.index),
    nextFinalWorkId: idSequence('finalWork', salt, cls.index),
    nextFinalMarkId: idSequence('finalMark', salt, cls.index),
  };
}

export const pairKey = (studentId: string, lessonId: string): string => `${studentId}|${lessonId}`;

export function enrolledOn(student: StudentModel, day: number): boolean {
  return student.leaveDay === null || day < student.leaveDay;
}

/** The series a lesson continues: its subject in the class, or in its subgroup. */
export const seriesKey = (lesson: Pick<LessonRow, 'subjectId' | 'groupId'>): string =>
  `${lesson.subjectId}|${lesson.groupId ?? ''}`;

/** Whether the lesson concerns the student: a whole-class lesson, or one of the student's group. */
export function attends(d: Draft, student: StudentModel, lesson: LessonRow): boolean {
  return lesson.groupId === null || (d.groupMembers.get(lesson.groupId)?.has(student.id) ?? false);
}

/**
 * Present at a lesson: the lesson concerns the student, who is enrolled, and the attendance entry
 * (if any) is not an absence.
 */
export function presentAt(d: Draft, student: StudentModel, lesson: LessonRow): boolean {
  if (!attends(d, student, lesson) || !enrolledOn(student, lesson.day)) return false;
  const a = d.attendanceOf.get(pairKey(student.id, lesson.id));
  return !a || a.status === 'Attend' || a.status === 'Late';
}

/** The lesson `k` places after `lesson` in its series, or undefined. */
export function nthAfter(d: Draft, lesson: LessonRow, k: number): LessonRow | undefined {
  return d.bySeries.get(seriesKey(lesson))?.[lesson.seq + k];
}
