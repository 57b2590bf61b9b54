/** The printed class journal's view-model: plain data, built from the mirror by `journal.ts`. */

export interface JournalStudent {
  id: string;
  fullName: string;
  /** First day in the class when it falls after the year began (a local date), else null. */
  from: string | null;
  /** First day no longer in the class (a local date); null: still there. */
  until: string | null;
  /** Movement as printed after the name: «прибыл 12.10», «выбыл 03.10». */
  movement: string[];
}

/** One cell of the left page: the attendance code and the marks, in entry order. */
export interface JournalCell {
  /** «н» absent, «б» ill, «п» excused (Pass), «оп» late; null: present. */
  attendance: string | null;
  /** `work`: the work type's abbreviation when the regulations ask for it to be visible. */
  marks: { value: string; work: string | null }[];
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
  /** Control, practical or laboratory work of the lesson (the work type's title), if any. */
  control: string | null;
  /** Student id → cell. */
  cells: Record<string, JournalCell>;
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
  /** School days on which every lesson of the student was missed. */
  daysMissed: number;
  /** Of them, days missed for illness (every missed lesson «б»). */
  daysIll: number;
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
  /** Grade 1 (безотметочное обучение): no marks, no homework, no сводная ведомость успеваемости. */
  ungraded: boolean;
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
  /** The deputy director who binds the printed journal (config `schools[].deputyDirector`). */
  deputyDirector: string | null;
  /** The school's time zone: the running footer's instants are local to it. */
  zone: string;
  /** When the mirror's data were taken: the end of the school's last successful sync; null: never. */
  dataAsOf: number | null;
  /** When the journal was printed (the clock's now). */
  printedAt: number;
  /** What the printout is a copy of, for the certification page; null: not named. */
  copy: JournalCopy | null;
}

/**
 * The electronic copy a printed journal belongs to. Inside an archive: the archive's file name
 * and the SHA-256 of its data snapshot (the archive's own hash covers this PDF, so it cannot be
 * printed in it; the register `ezh archive list` and the archive's checksums give it). Alone: the
 * PDF's file name; its SHA-256 is written beside it (`<name>.sha256`) for the same reason.
 */
export type JournalCopy =
  | { kind: 'archive'; fileName: string; dataSha256: string | null }
  | { kind: 'file'; fileName: string };

export interface JournalLayout {
  lessonsPerSpread: number;
  studentsPerPage: number;
  subjectsPerSummaryPage: number;
}
