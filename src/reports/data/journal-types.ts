/** The printed class journal's view-model: plain data, built from the mirror by `journal.ts`. */

export interface JournalStudent {
  id: string;
  fullName: string;
}

export interface JournalPeriod {
  id: string;
  name: string;
  /** Column label, e.g. «1 ч.». */
  short: string;
  start: string;
  finish: string;
}

export interface JournalLesson {
  id: string;
  date: string;
  /** The covered period the lesson falls in. */
  periodId: string;
  topic: string | null;
  homework: string | null;
  teacher: string | null;
  /** Student id → cell text: «н» for an absence, marks separated by spaces. */
  cells: Record<string, string>;
}

export interface JournalSubject {
  id: string;
  name: string;
  /** Teachers of the subject in this class, short names. */
  teacher: string;
  lessons: JournalLesson[];
  /** Period id (or `year`) → student id → period mark. */
  finals: Record<string, Record<string, string>>;
  /** A subgroup's spreads (a split subject): its students; absent: the class's. */
  students?: JournalStudent[];
}

export interface JournalAttendance {
  missed: number;
  ill: number;
  late: number;
}

export interface JournalData {
  schoolName: string;
  className: string;
  /** «5 „А“» */
  classTitle: string;
  /** «2026/2027 учебный год» */
  yearTitle: string;
  /** «1 четверть» or «учебный год». */
  scopeTitle: string;
  /** Whole year: period marks of every period plus the year mark. */
  wholeYear: boolean;
  /** Periods the journal covers, in order. */
  periods: JournalPeriod[];
  /** Every period of the year (columns of the сводная ведомость). */
  yearPeriods: JournalPeriod[];
  students: JournalStudent[];
  subjects: JournalSubject[];
  attendance: Record<string, JournalAttendance>;
  director: string | null;
}

export interface JournalLayout {
  lessonsPerSpread: number;
  studentsPerPage: number;
  subjectsPerSummaryPage: number;
}
