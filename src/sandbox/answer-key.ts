import { charLength, normalizeText } from '../platform/text.js';
import { accumulationNorm, expectedMark, isNumericMark } from './averages.js';
import { pushTo } from './rows.js';
import { DAY, dayNo, HOUR, isoWeekday, localInstant } from './local-time.js';
import type {
  ClassModel,
  FindingKey,
  Journal,
  LessonRow,
  MarkRow,
  RuleId,
  SchoolModel,
  StudentModel,
} from './model.js';
import { viewAt } from './rows.js';
import { isControlKind, workTypeById } from './work-types.js';

/**
 * The answer key: an independent evaluation of docs/rules.md (default parameters) over the
 * platform's state at `asOf`. It assumes the mirror was synced at `asOf`. A mark is late by its
 * entry moment (`appearAt`, which the platform shows as `Mark.date`), however late ezh saw it.
 */

// Dash and dot placeholders normalise to the empty text, too short anyway.
const PLACEHOLDERS = new Set(['урок', 'тема', 'нет', 'тема урока']);
const ABSENT = new Set(['Absent', 'Ill', 'Pass']);
const N_LESSONS = 3;
/** «н/а» and «осв» stand in a cell but grade nothing (docs/rules.md, "Mark variety"). */
const NOT_A_MARK = new Set(['markna', 'markdismiss']);

const graded = (m: { markSystem?: string }): boolean => !NOT_A_MARK.has(m.markSystem ?? 'mark5');
/** A five-point number: only these are averaged, compared or a «2» (`mark10` is another scale). */
const fivePoint = (m: { markSystem?: string; value: string }): boolean =>
  (m.markSystem ?? 'mark5') === 'mark5' && isNumericMark(m.value);

/** docs/rules.md: judged on the normalised topic (invisible characters, dash-only text: empty). */
export function topicValid(topic: string | null): boolean {
  if (topic === null) return false;
  const t = normalizeText(topic);
  return charLength(t) >= 4 && !PLACEHOLDERS.has(t.toLowerCase());
}

function live<T extends { appearAt: number; deletedAt: number | null }>(
  rows: readonly T[],
  at: number,
): T[] {
  const out: T[] = [];
  for (const r of rows) {
    const v = viewAt(r as never, at) as T | null;
    if (v) out.push(v);
  }
  return out;
}

function key(rule: RuleId, parts: Partial<FindingKey>): FindingKey {
  return {
    rule,
    class: null,
    subject: null,
    student: null,
    lesson: null,
    work: null,
    mark: null,
    period: null,
    ...parts,
  };
}

export function activeAt(s: StudentModel, at: number, offset: number): boolean {
  return s.leaveDay === null || at < localInstant(s.leaveDay, 0, offset);
}

export function evaluateClass(
  school: SchoolModel,
  cls: ClassModel,
  journal: Journal,
  asOf: number,
  platform: {
    /**
     * Whether the platform stores an entry for every student (else only the exceptions, and a
     * lesson without entries may be one where everybody came: `attendance-not-kept` then cannot
     * tell and finds nothing).
     */
    attendanceKept: boolean;
  } = { attendanceKept: true },
): FindingKey[] {
  const A = asOf;
  const off = school.offsetHours;
  const out: FindingKey[] = [];
  const lessons = live(journal.lessons, A);
  const works = live(journal.works, A);
  const marks = live(journal.marks, A);
  const attendance = live(journal.attendance, A);
  const finals = live(journal.finalMarks, A);
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  const allWorks = new Map(journal.works.map((w) => [w.id, w]));
  const d1 = (l: LessonRow) => l.dayStart + DAY + 12 * HOUR;
  const d7 = (l: LessonRow) => l.dayStart + 7 * DAY + 12 * HOUR;
  const grade = cls.grade;
  const active = cls.students.filter((s) => activeAt(s, A, off));
  const marksByPair = new Map<string, MarkRow[]>();
  for (const m of marks) {
    const k = `${m.studentId}|${m.lessonId}`;
    pushTo(marksByPair, k, m);
  }
  const absentPairs = new Set(
    attendance.filter((a) => ABSENT.has(a.status)).map((a) => `${a.studentId}|${a.lessonId}`),
  );
  const keptLessons = new Set(attendance.map((a) => a.lessonId));
  // A series: a subject's class lessons, or one subgroup's (its students' "next lessons").
  const series = (l: LessonRow) => `${l.subjectId}|${l.groupId ?? ''}`;
  const seriesLessons = new Map<string, LessonRow[]>();
  for (const l of lessons) pushTo(seriesLessons, series(l), l);
  const members = new Map(cls.groups.map((g) => [g.id, new Set(g.studentIds)]));
  const concerns = (l: LessonRow, s: StudentModel) =>
    l.groupId === null || (members.get(l.groupId)?.has(s.id) ?? false);

  const withHomework = new Set(
    works
      .filter((w) => w.type === 'Homework' && (w.text ?? '').trim().length >= 4)
      .map((w) => w.lessonId),
  );
  for (const l of lessons) {
    if (A > d1(l) && !topicValid(l.topic)) out.push(key('topic-missing', { lesson: l.id }));
    if (grade >= 2 && A > d1(l) && !withHomework.has(l.id)) {
      out.push(key('homework-missing', { lesson: l.id }));
    }
    const sunday = l.day + (7 - isoWeekday(l.day));
    if (
      platform.attendanceKept &&
      !keptLessons.has(l.id) &&
      A > localInstant(sunday, 23 * 60 + 59, off)
    ) {
      out.push(key('attendance-not-kept', { lesson: l.id }));
    }
  }

  for (const w of works) {
    if (grade === 1 && w.type === 'Homework' && (w.text ?? '').trim().length > 0) {
      out.push(key('grade1-homework', { work: w.id }));
    }
    const l = w.lessonId ? lessonById.get(w.lessonId) : undefined;
    if (grade >= 2 && l && isControlKind(w.kind) && A > d7(l)) {
      for (const s of active) {
        if (!concerns(l, s) || absentPairs.has(`${s.id}|${l.id}`)) continue;
        if (!(marksByPair.get(`${s.id}|${l.id}`) ?? []).some((m) => m.workId === w.id)) {
          out.push(key('control-work-unmarked', { work: w.id, student: s.id }));
        }
      }
    }
  }

  const absentWithMark = new Set<string>();
  for (const m of marks) {
    const l = lessonById.get(m.lessonId);
    if (grade === 1) out.push(key('grade1-mark', { mark: m.id }));
    if (grade >= 2 && l) {
      const deadline = isControlKind(m.kind) ? d7(l) : d1(l);
      if (m.appearAt > deadline) out.push(key('mark-late', { mark: m.id }));
    }
    const pair = `${m.studentId}|${m.lessonId}`;
    const work = allWorks.get(m.workId);
    if (
      absentPairs.has(pair) &&
      graded(m) &&
      work?.type !== 'Homework' &&
      m.kind !== 'LessonHomework'
    ) {
      absentWithMark.add(pair);
    }
    if (l && m.value === '2' && fivePoint(m)) {
      const after = (seriesLessons.get(series(l)) ?? [])
        .filter(
          (x) => (x.day > l.day || (x.day === l.day && x.number > l.number)) && x.dayStart <= A,
        )
        .slice(0, N_LESSONS);
      const corrected = after.some((x) =>
        (marksByPair.get(`${m.studentId}|${x.id}`) ?? []).some(
          (y) => fivePoint(y) && Number(y.value) > 2,
        ),
      );
      if (after.length === N_LESSONS && !corrected) {
        out.push(key('two-not-corrected', { mark: m.id }));
      }
    }
  }
  for (const pair of absentWithMark) {
    const [student, lesson] = pair.split('|') as [string, string];
    out.push(key('absent-with-mark', { lesson, student }));
  }

  if (grade >= 2) out.push(...periodFindings(school, cls, A, lessons, marks, finals, active));
  return out;
}

function periodFindings(
  school: SchoolModel,
  cls: ClassModel,
  A: number,
  lessons: LessonRow[],
  marks: MarkRow[],
  finals: Journal['finalMarks'],
  active: StudentModel[],
): FindingKey[] {
  const off = school.offsetHours;
  const out: FindingKey[] = [];
  const lessonById = new Map(lessons.map((l) => [l.id, l]));
  for (const p of cls.periods) {
    const inP = (day: number) => day >= p.startDay && day <= p.finishDay;
    const subjects = [...new Set(lessons.filter((l) => inP(l.day)).map((l) => l.subjectId))];
    const pFinals = finals.filter((f) => f.periodId === p.id);
    const periodMarks = new Map<string, MarkRow[]>();
    for (const m of marks) {
      const l = lessonById.get(m.lessonId);
      if (!l || !inP(l.day)) continue;
      const k = `${m.studentId}|${m.subjectId}`;
      pushTo(periodMarks, k, m);
    }
    const lastDate = new Map<string, string>();
    for (const l of lessons) if (inP(l.day)) lastDate.set(l.subjectId, l.date);
    const finalOf = new Set(pFinals.map((f) => `${f.studentId}|${f.subjectId}`));
    const deadlineDate = school.calendar.finalMarkDeadlines[p.name] ?? p.finish;
    if (A > localInstant(dayNo(deadlineDate) + 1, 0, off)) {
      for (const s of active) {
        for (const subject of subjects) {
          if (!finalOf.has(`${s.id}|${subject}`)) {
            out.push(
              key('final-mark-missing', { class: cls.id, student: s.id, subject, period: p.id }),
            );
          }
        }
      }
    }
    if (A >= localInstant(p.finishDay + 1, 0, off)) {
      const norm = accumulationNorm(p.kind);
      for (const s of active) {
        for (const subject of subjects) {
          const n = (periodMarks.get(`${s.id}|${subject}`) ?? []).filter(graded).length;
          if (n < norm) {
            out.push(
              key('mark-accumulation', { class: cls.id, student: s.id, subject, period: p.id }),
            );
          }
        }
      }
    }
    for (const f of pFinals) {
      const last = lastDate.get(f.subjectId);
      if (last && f.date.slice(0, 10) < last) out.push(key('final-mark-early', { mark: f.id }));
      if (!fivePoint(f)) continue;
      const own = (periodMarks.get(`${f.studentId}|${f.subjectId}`) ?? []).filter(
        (m) => m.countsInAverage && fivePoint(m),
      );
      const expected = expectedMark(
        own.map((m) => ({
          value: Number(m.value),
          weight: workTypeById(m.workTypeId)?.weight ?? 1,
        })),
      );
      if (expected !== null && expected !== f.value) {
        out.push(key('final-mark-objectivity', { mark: f.id }));
      }
    }
  }
  return out;
}
