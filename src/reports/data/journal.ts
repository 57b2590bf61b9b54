import { placeholders, type SqlExecutor } from '../../mirror/sql.js';
import { classTitle, schoolYearTitle, shortName } from '../format.js';
import type { ClassInfo } from './classes.js';
import type { JournalAttendance, JournalData, JournalLesson, JournalSubject } from './journal-types.js';
import { loadSubgroups, subgroupSpreadName } from './journal-subgroups.js';
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
}

const ABSENT = new Set(['Absent', 'Ill', 'Pass']);

export async function loadJournal(db: SqlExecutor, q: JournalQuery): Promise<JournalData> {
  const classId = q.schoolClass.id;
  const all = await classPeriods(db, classId);
  const covered = coveredPeriods(all, q.period);
  const from = covered.reduce((m, p) => (p.start_date < m ? p.start_date : m), covered[0]?.start_date ?? '9999');
  const to = covered.reduce((m, p) => (p.finish_date > m ? p.finish_date : m), covered[0]?.finish_date ?? '0000');
  const yearIds = new Set(all.filter((p) => p.type === 'year').map((p) => p.period_id));
  const terms = all.filter((p) => p.type !== 'year');

  const students = await db.query<{ id: string; full_name: string }>(
    `SELECT p.id, p.full_name FROM enrollments e JOIN persons p ON p.id = e.person_id AND p.source = e.source
     WHERE e.class_id = ? AND e.status = 'active' AND e.deleted_at IS NULL AND p.deleted_at IS NULL
     ORDER BY p.last_name, p.first_name, p.middle_name, p.id`,
    [classId],
  );
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
  const marks = await db.query<{ lesson_id: string; student_id: string; work_id: string | null; value: string }>(
    `SELECT m.lesson_id, m.student_id, m.work_id, m.value FROM marks m JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source
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
  const coTeacherIds = [...new Set(lessons.flatMap((l) => parseIds(l.teacher_ids).slice(1)))];
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
    ...parseIds(l.teacher_ids)
      .slice(1)
      .flatMap((id) => (coTeacherNames.has(id) ? [coTeacherNames.get(id)!] : [])),
  ];
  const subjectIds = [...new Set(lessons.map((l) => l.subject_id))];
  const subjectNames = new Map<string, string>();
  if (subjectIds.length > 0) {
    const rows = await db.query<{ id: string; name: string }>(
      `SELECT id, name FROM subjects WHERE id IN (${placeholders(subjectIds.length)})`,
      subjectIds,
    );
    for (const r of rows) subjectNames.set(r.id, r.name);
  }

  // Cells: «н» first, then the marks of the lesson in entry order.
  const cells = new Map<string, Record<string, string[]>>();
  const cell = (lessonId: string, studentId: string): string[] => {
    let byStudent = cells.get(lessonId);
    if (!byStudent) cells.set(lessonId, (byStudent = {}));
    return (byStudent[studentId] ??= []);
  };
  const absences: Record<string, JournalAttendance> = {};
  for (const a of attendance) {
    const s = (absences[a.student_id] ??= { missed: 0, ill: 0, late: 0 });
    if (a.status === 'Late') {
      s.late++;
      continue;
    }
    s.missed++;
    if (a.status === 'Ill') s.ill++;
    if (ABSENT.has(a.status)) cell(a.lesson_id, a.student_id).unshift('н');
  }
  // Several marks of one work (`number`) are one entry, «5/4», as the platform's journal shows a
  // double mark; marks of different works stay apart, in entry order.
  const ofWork = new Map<string, { entries: string[]; at: number }>();
  for (const m of marks) {
    const entries = cell(m.lesson_id, m.student_id);
    const key = m.work_id === null ? null : `${m.lesson_id}|${m.student_id}|${m.work_id}`;
    const earlier = key === null ? undefined : ofWork.get(key);
    if (earlier) {
      earlier.entries[earlier.at] += `/${m.value}`;
      continue;
    }
    entries.push(m.value);
    if (key !== null) ofWork.set(key, { entries, at: entries.length - 1 });
  }
  const homeworkByLesson = new Map<string, string>();
  for (const h of homework) {
    const text = (h.text ?? '').trim();
    if (text) homeworkByLesson.set(h.lesson_id, [homeworkByLesson.get(h.lesson_id), text].filter(Boolean).join('; '));
  }

  // A subject's spreads, or a subgroup's (journal-subgroups.ts): keyed by subject and subgroup.
  const subgroups = await loadSubgroups(db, classId);
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
        ? { id: l.subject_id, name: subgroupSpreadName(name, group.name), teacher: '', lessons: [], finals: {}, students: group.students }
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
      cells: Object.fromEntries(Object.entries(cells.get(l.id) ?? {}).map(([s, v]) => [s, v.join(' ')])),
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
    wholeYear: q.period === null,
    periods: covered.map(toJournalPeriod),
    yearPeriods: terms.filter((p) => p.type === (covered[0]?.type ?? p.type)).map(toJournalPeriod),
    students: students.map((s) => ({ id: s.id, fullName: s.full_name })),
    subjects,
    attendance: absences,
    director: q.school.director,
  };
}

function parseIds(text: string | null): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
