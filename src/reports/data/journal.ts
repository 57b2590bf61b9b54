import { placeholders, type SqlExecutor } from '../../mirror/sql.js';
import { idListOf } from '../../platform/id-list.js';
import { addDays } from '../../platform/time.js';
import { classTitle, ruDayMonth, schoolYearTitle, shortName } from '../format.js';
import type { ClassInfo } from './classes.js';
import { loadSubgroups, subgroupSpreadName } from './journal-subgroups.js';
import { deriveSpans } from '../../mirror/enrollment-spans.js';
import { lastSyncedAt } from '../../checks/data-time.js';
import type {
  JournalAttendance,
  JournalCopy,
  JournalCell,
  JournalData,
  JournalLesson,
  JournalStudent,
  JournalSubject,
} from './journal-types.js';
import { classPeriods, coveredPeriods, toJournalPeriod } from './periods.js';
import type { SchoolInfo } from './school.js';

/**
 * The printed journal of one class for one period (or the whole year), read from the mirror with
 * a handful of per-class queries. Only what is printed is selected: students' full names (never
 * other personal data, whatever the consent), lessons, marks, absences, homework, period marks.
 */

export interface JournalQuery {
  school: SchoolInfo;
  schoolClass: ClassInfo;
  /** A period name such as «1 четверть»; null: the whole year. */
  period: string | null;
  /** When it is printed (the clock's now): on every page. Default: the system clock. */
  printedAt?: number;
  /** The electronic copy the printout belongs to (the certification page); default: none named. */
  copy?: JournalCopy | null;
}

/** The platform's attendance statuses as the paper journal writes them (compliance-rules §1.7). */
const ATTENDANCE_CODE: Record<string, string> = { Absent: 'н', Ill: 'б', Pass: 'п', Late: 'оп' };
const MISSED = new Set(['Absent', 'Ill', 'Pass']);

/** Works whose type the journal must show (001: контрольные, практические, лабораторные). */
export function isControlWork(kind: string | null, title: string | null): boolean {
  return (
    /control|practic|lab|dictation|test|exam/i.test(kind ?? '') ||
    /контрол|практич|лаборат|диктант|зач[её]т/i.test(title ?? '')
  );
}

/** «КР» from the work type, or the initials of its title («Практическая работа» → «ПР»). */
function workAbbr(abbr: string | null, title: string | null): string {
  if (abbr && abbr.trim()) return abbr.trim();
  return (title ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 3);
}

export async function loadJournal(db: SqlExecutor, q: JournalQuery): Promise<JournalData> {
  const classId = q.schoolClass.id;
  const all = await classPeriods(db, classId);
  const covered = coveredPeriods(all, q.period);
  const from = covered.reduce((m, p) => (p.start_date < m ? p.start_date : m), covered[0]?.start_date ?? '9999');
  const to = covered.reduce((m, p) => (p.finish_date > m ? p.finish_date : m), covered[0]?.finish_date ?? '0000');
  const yearIds = new Set(all.filter((p) => p.type === 'year').map((p) => p.period_id));
  const terms = all.filter((p) => p.type !== 'year');

  const students = await loadStudents(db, q.school, classId, from, to);
  const lessons = await db.query<{
    id: string;
    subject_id: string;
    date: string;
    topic: string | null;
    teacher: string | null;
    group_id: string | null;
    teacher_ids: string | null;
  }>(
    `SELECT l.id, l.subject_id, l.date, l.topic, t.full_name AS teacher, l.group_id, l.teacher_ids
     FROM lessons l LEFT JOIN persons t ON t.id = l.teacher_id AND t.source = l.source
     WHERE l.class_id = ? AND l.deleted_at IS NULL AND l.date >= ? AND l.date <= ?
     ORDER BY l.date, l.number, l.starts_at, l.id`,
    [classId, from, to],
  );
  const homework = await db.query<{ lesson_id: string; text: string | null }>(
    `SELECT w.lesson_id, w.text FROM works w JOIN lessons l ON l.id = w.lesson_id AND l.source = w.source
     WHERE w.class_id = ? AND w.type = 'Homework' AND w.deleted_at IS NULL AND l.deleted_at IS NULL
       AND l.date >= ? AND l.date <= ? ORDER BY w.lesson_id, w.id`,
    [classId, from, to],
  );
  const marks = await db.query<{
    lesson_id: string;
    student_id: string;
    work_id: string | null;
    value: string;
    work_kind: string | null;
    work_title: string | null;
    work_abbr: string | null;
  }>(
    `SELECT m.lesson_id, m.student_id, m.work_id, m.value, wt.kind AS work_kind, wt.title AS work_title, wt.abbr AS work_abbr
     FROM marks m JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source
     LEFT JOIN works w ON w.id = m.work_id AND w.source = m.source
     LEFT JOIN work_types wt ON wt.id = COALESCE(m.work_type_id, w.work_type_id) AND wt.source = m.source
     WHERE m.class_id = ? AND m.deleted_at IS NULL AND l.deleted_at IS NULL AND l.date >= ? AND l.date <= ?
     ORDER BY m.lesson_id, m.student_id, m.number, m.id`,
    [classId, from, to],
  );
  const attendance = await db.query<{ lesson_id: string; student_id: string; status: string }>(
    `SELECT a.lesson_id, a.student_id, a.status FROM attendance a JOIN lessons l ON l.id = a.lesson_id AND l.source = a.source
     WHERE a.class_id = ? AND a.deleted_at IS NULL AND l.deleted_at IS NULL AND l.date >= ? AND l.date <= ?
       AND a.status IN ('Absent', 'Ill', 'Pass', 'Late')`,
    [classId, from, to],
  );
  const finals = await db.query<{
    student_id: string;
    subject_id: string;
    period_id: string | null;
    period_type: string | null;
    value: string;
  }>(
    `SELECT student_id, subject_id, period_id, period_type, value FROM final_marks
     WHERE class_id = ? AND deleted_at IS NULL ORDER BY date, id`,
    [classId],
  );
  // A lesson taught by several teachers names them all (the first is `teacher_id`'s).
  const coTeacherIds = [...new Set(lessons.flatMap((l) => idListOf(l.teacher_ids).slice(1)))];
  const coTeacherNames = new Map<string, string>();
  if (coTeacherIds.length > 0) {
    const rows = await db.query<{ id: string; full_name: string }>(
      `SELECT id, full_name FROM persons WHERE id IN (${placeholders(coTeacherIds.length)})`,
      coTeacherIds,
    );
    for (const r of rows) coTeacherNames.set(r.id, r.full_name);
  }
  const teachersOf = (l: (typeof lessons)[number]): string[] => [
    ...(l.teacher ? [l.teacher] : []),
    ...idListOf(l.teacher_ids)
      .slice(1)
      .flatMap((id) => (coTeacherNames.has(id) ? [coTeacherNames.get(id)!] : [])),
  ];
  // Control, practical and laboratory works of a lesson (not homework), for the topic's marker.
  const works = await db.query<{ lesson_id: string; kind: string | null; title: string | null }>(
    `SELECT w.lesson_id, wt.kind, wt.title FROM works w JOIN lessons l ON l.id = w.lesson_id AND l.source = w.source
     JOIN work_types wt ON wt.id = w.work_type_id AND wt.source = w.source
     WHERE w.class_id = ? AND w.type <> 'Homework' AND w.deleted_at IS NULL AND l.deleted_at IS NULL
       AND l.date >= ? AND l.date <= ?`,
    [classId, from, to],
  );
  const subjectIds = [...new Set(lessons.map((l) => l.subject_id))];
  const subjectNames = new Map<string, string>();
  if (subjectIds.length > 0) {
    const rows = await db.query<{ id: string; name: string }>(
      `SELECT id, name FROM subjects WHERE id IN (${placeholders(subjectIds.length)})`,
      subjectIds,
    );
    for (const r of rows) subjectNames.set(r.id, r.name);
  }

  const cells = new Map<string, Record<string, JournalCell>>();
  const cell = (lessonId: string, studentId: string): JournalCell => {
    let byStudent = cells.get(lessonId);
    if (!byStudent) cells.set(lessonId, (byStudent = {}));
    return (byStudent[studentId] ??= { attendance: null, marks: [] });
  };
  for (const a of attendance) {
    const code = ATTENDANCE_CODE[a.status];
    if (code) cell(a.lesson_id, a.student_id).attendance = code;
  }
  const controlByLesson = new Map<string, string>();
  // Several marks of one work (`number`) are one entry, «5/4», as the platform's journal shows a
  // double mark; marks of different works stay apart, in entry order.
  const ofWork = new Map<string, { value: string }>();
  for (const m of marks) {
    const control = isControlWork(m.work_kind, m.work_title);
    const key = m.work_id === null ? null : `${m.lesson_id}|${m.student_id}|${m.work_id}`;
    const earlier = key === null ? undefined : ofWork.get(key);
    if (earlier) {
      earlier.value += `/${m.value}`;
      continue;
    }
    const entry = { value: m.value, work: control ? workAbbr(m.work_abbr, m.work_title) : null };
    cell(m.lesson_id, m.student_id).marks.push(entry);
    if (key !== null) ofWork.set(key, entry);
    if (control && m.work_title && !controlByLesson.has(m.lesson_id)) controlByLesson.set(m.lesson_id, m.work_title);
  }
  for (const w of works) {
    if (isControlWork(w.kind, w.title) && w.title && !controlByLesson.has(w.lesson_id)) controlByLesson.set(w.lesson_id, w.title);
  }
  const homeworkByLesson = new Map<string, string>();
  for (const h of homework) {
    const text = (h.text ?? '').trim();
    if (text) homeworkByLesson.set(h.lesson_id, [homeworkByLesson.get(h.lesson_id), text].filter(Boolean).join('; '));
  }

  // A subject's spreads, or a subgroup's (journal-subgroups.ts): keyed by subject and subgroup.
  const subgroups = await loadSubgroups(db, classId);
  // A subgroup's students as the class list of the period has them (with their прибыл/выбыл), in
  // its order; a current member the class list lacks is added, a former one is not (not in the
  // class in the period).
  const groupStudents = (group: {
    students: readonly JournalStudent[];
    leftIds: ReadonlySet<string>;
  }): JournalStudent[] => {
    const ids = new Set(group.students.map((m) => m.id));
    const listed = students.filter((s) => ids.has(s.id));
    const known = new Set(listed.map((s) => s.id));
    return [
      ...listed,
      ...group.students.filter((m) => !known.has(m.id) && !group.leftIds.has(m.id)),
    ];
  };
  const bySubject = new Map<string, JournalSubject>();
  const teachers = new Map<string, Set<string>>();
  for (const l of lessons) {
    const period = covered.find((p) => l.date >= p.start_date && l.date <= p.finish_date);
    if (!period) continue;
    const group = l.group_id === null ? undefined : subgroups.get(l.group_id);
    const spread = group ? `${l.subject_id}|${group.id}` : l.subject_id;
    let subject = bySubject.get(spread);
    if (!subject) {
      const name = subjectNames.get(l.subject_id) ?? '—';
      subject = group
        ? { id: l.subject_id, name: subgroupSpreadName(name, group.name), teacher: '', lessons: [], finals: {}, students: groupStudents(group) }
        : { id: l.subject_id, name, teacher: '', lessons: [], finals: {} };
      bySubject.set(spread, subject);
      teachers.set(spread, new Set());
    }
    const lessonTeachers = teachersOf(l);
    for (const t of lessonTeachers) teachers.get(spread)!.add(shortName(t));
    const lesson: JournalLesson = {
      id: l.id,
      date: l.date,
      periodId: period.period_id,
      topic: l.topic,
      homework: homeworkByLesson.get(l.id) ?? null,
      teacher: lessonTeachers.length > 0 ? lessonTeachers.join(', ') : null,
      control: controlByLesson.get(l.id) ?? null,
      cells: cells.get(l.id) ?? {},
    };
    subject.lessons.push(lesson);
  }
  for (const f of finals) {
    const key = f.period_type === 'year' || (f.period_id !== null && yearIds.has(f.period_id)) ? 'year' : f.period_id;
    if (key === null) continue;
    // Every spread of the subject: a subgroup's shows its own students' marks only.
    for (const subject of bySubject.values()) {
      if (subject.id !== f.subject_id || (subject.students && !subject.students.some((st) => st.id === f.student_id))) continue;
      (subject.finals[key] ??= {})[f.student_id] = f.value;
    }
  }
  const subjects = [...bySubject.entries()]
    .map(([spread, s]) => ({ ...s, teacher: [...teachers.get(spread)!].join(', ') }))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'));

  return {
    schoolName: q.school.name,
    className: q.schoolClass.name,
    classTitle: classTitle(q.schoolClass.name, q.schoolClass.grade, q.schoolClass.letter),
    yearTitle: schoolYearTitle(from === '9999' ? new Date().toISOString().slice(0, 10) : from),
    scopeTitle: q.period === null ? 'учебный год' : (covered[0]?.name ?? q.period),
    ungraded: q.schoolClass.grade === 1,
    wholeYear: q.period === null,
    periods: covered.map((p) => toJournalPeriod(p, all)),
    yearPeriods: terms
      .filter((p) => p.type === (covered[0]?.type ?? p.type))
      .map((p) => toJournalPeriod(p, all)),
    students,
    subjects,
    attendance: attendanceSummary(students, lessons, attendance),
    director: q.school.director,
    deputyDirector: q.school.deputyDirector,
    zone: q.school.zone,
    dataAsOf: await lastSyncedAt(db, q.school.id),
    printedAt: q.printedAt ?? Date.now(),
    copy: q.copy ?? null,
  };
}


type SpanRow = {
  person_id: string;
  full_name: string;
  status: string;
  enrolled_on: string | null;
  enrolled_basis: string | null;
  left_on: string | null;
  left_basis: string | null;
};

/**
 * Every student enrolled at any time in [from, to], current and former, with the dates of their
 * time in the class (`enrollment_spans`, derived after each sync; derived here when the mirror has
 * none yet). A former student with no date and no entry here is left out: nothing shows they were
 * in the class in the period.
 */
async function loadStudents(
  db: SqlExecutor,
  school: SchoolInfo,
  classId: string,
  from: string,
  to: string,
): Promise<JournalStudent[]> {
  let rows = await db.query<SpanRow>(
    `SELECT s.person_id, p.full_name, s.status, s.enrolled_on, s.enrolled_basis, s.left_on, s.left_basis
     FROM enrollment_spans s
     JOIN enrollments e ON e.class_id = s.class_id AND e.person_id = s.person_id AND e.source = s.source AND e.deleted_at IS NULL
     JOIN persons p ON p.id = s.person_id AND p.source = s.source AND p.deleted_at IS NULL
     WHERE s.class_id = ?
     ORDER BY p.last_name, p.first_name, p.middle_name, p.id`,
    [classId],
  );
  if (rows.length === 0) {
    const persons = await db.query<{ id: string; full_name: string }>(
      `SELECT p.id, p.full_name FROM enrollments e JOIN persons p ON p.id = e.person_id AND p.source = e.source
       WHERE e.class_id = ? AND e.deleted_at IS NULL AND p.deleted_at IS NULL
       ORDER BY p.last_name, p.first_name, p.middle_name, p.id`,
      [classId],
    );
    const spans = new Map(
      (await deriveSpans(db, school.id, school.zone, 'dnevnik'))
        .filter((s) => s.classId === classId)
        .map((s) => [s.personId, s]),
    );
    rows = persons.flatMap((p) => {
      const s = spans.get(p.id);
      if (!s) return [];
      return [
        {
          person_id: p.id,
          full_name: p.full_name,
          status: s.status,
          enrolled_on: s.enrolledOn,
          enrolled_basis: s.enrolledBasis,
          left_on: s.leftOn,
          left_basis: s.leftBasis,
        },
      ];
    });
  }
  return rows
    .filter((r) => (r.status === 'active' || r.left_on !== null) && (r.enrolled_on ?? '0000') <= to && (r.left_on ?? '9999') > from)
    .map((r) => {
      const movement: string[] = [];
      if (r.enrolled_on !== null && r.enrolled_on > from) movement.push(`прибыл ${ruDayMonth(r.enrolled_on)}`);
      if (r.left_on !== null && r.left_on <= to) {
        movement.push(
          r.left_basis === 'entries'
            ? `выбыл после ${ruDayMonth(addDays(r.left_on, -1))}`
            : `выбыл ${ruDayMonth(r.left_on)}`,
        );
      }
      return { id: r.person_id, fullName: r.full_name, from: r.enrolled_on, until: r.left_on, movement };
    });
}

/**
 * The сводная ведомость посещаемости: lessons missed (н, б, п), of them for illness, lateness, and
 * days missed: a school day counts when every lesson of the class that day, while the student was
 * in it, was missed (the platform's «Посещаемость» report counts days so).
 */
function attendanceSummary(
  students: readonly JournalStudent[],
  lessons: readonly { id: string; date: string }[],
  entries: readonly { lesson_id: string; student_id: string; status: string }[],
): Record<string, JournalAttendance> {
  const lessonDate = new Map(lessons.map((l) => [l.id, l.date]));
  const lessonsPerDay = new Map<string, number>();
  for (const l of lessons) lessonsPerDay.set(l.date, (lessonsPerDay.get(l.date) ?? 0) + 1);
  const out: Record<string, JournalAttendance> = {};
  const perDay = new Map<string, Map<string, { missed: number; ill: number }>>();
  for (const a of entries) {
    const date = lessonDate.get(a.lesson_id);
    if (!date) continue;
    const s = (out[a.student_id] ??= { daysMissed: 0, daysIll: 0, missed: 0, ill: 0, late: 0 });
    if (a.status === 'Late') {
      s.late++;
      continue;
    }
    if (!MISSED.has(a.status)) continue;
    s.missed++;
    if (a.status === 'Ill') s.ill++;
    const days = perDay.get(a.student_id) ?? new Map<string, { missed: number; ill: number }>();
    perDay.set(a.student_id, days);
    const d = days.get(date) ?? { missed: 0, ill: 0 };
    d.missed++;
    if (a.status === 'Ill') d.ill++;
    days.set(date, d);
  }
  for (const st of students) {
    const s = out[st.id];
    if (!s) continue;
    for (const [date, d] of perDay.get(st.id) ?? []) {
      if (d.missed >= (lessonsPerDay.get(date) ?? Infinity)) {
        s.daysMissed++;
        if (d.ill === d.missed) s.daysIll++;
      }
    }
  }
  return out;
}
