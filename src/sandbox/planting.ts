import { accumulationNorm } from './averages.js';
import { enrolledOn, nthAfter, pairKey, presentAt, seriesKey, type Draft } from './draft.js';
import { dateOf, localInstant } from './local-time.js';
import { addMark, eveningOf } from './marks.js';
import type { FindingKey, LessonRow, PeriodModel, RuleId } from './model.js';
import { finalState } from './rows.js';
import { onTenPoints, passFailSubjectId } from './variety.js';
import { isControlKind, workTypeByKind } from './work-types.js';

/**
 * Planted violations: a fixed number per rule in every planting window of a class (a reporting
 * period, cut at the sandbox start so that `small` has violations both before T0 and in its
 * timeline). Each plant reserves its lessons so that no other stage touches them, and is recorded
 * with the finding key the answer key must produce.
 */

interface Window {
  start: number;
  end: number;
  /** After T0: only the timeline shows it. */
  future: boolean;
  period: PeriodModel;
}

function windows(d: Draft): Window[] {
  const out: Window[] = [];
  for (const p of d.cls.periods) {
    const pastEnd = Math.min(p.finishDay, d.t0Day - 8);
    if (p.startDay <= pastEnd) {
      out.push({ start: p.startDay, end: pastEnd, future: false, period: p });
    }
    const futureStart = Math.max(p.startDay, d.t0Day);
    if (futureStart <= p.finishDay) {
      out.push({ start: futureStart, end: p.finishDay, future: true, period: p });
    }
  }
  return out;
}

function record(
  d: Draft,
  rule: RuleId,
  parts: Partial<FindingKey>,
  at: number,
  until: number | null = null,
): void {
  d.planted.push({
    rule,
    class: null,
    subject: null,
    student: null,
    lesson: null,
    work: null,
    mark: null,
    period: null,
    ...parts,
    at,
    until,
  });
}

function pickLesson(
  d: Draft,
  w: Window,
  ok: (l: LessonRow) => boolean,
  end = w.end,
): LessonRow | null {
  const candidates = d.lessons.filter(
    (l) => l.day >= w.start && l.day <= end && !d.reserved.has(l.id) && ok(l),
  );
  if (candidates.length === 0) return null;
  const l = d.rng.pick(candidates);
  d.reserved.add(l.id);
  return l;
}

const isControlLesson = (d: Draft, l: LessonRow): boolean =>
  isControlKind(d.classWork.get(l.id)!.kind);

function presentStudent(d: Draft, l: LessonRow, through = l.day) {
  const ok = d.cls.students.filter((s) => presentAt(d, s, l) && enrolledOn(s, through));
  return ok.length > 0 ? d.rng.pick(ok) : null;
}

/** Plants that shape marks and attendance: chosen before marks are generated. */
export function plantBeforeMarks(d: Draft): void {
  const { cls, rng } = d;
  for (const w of windows(d)) {
    const safeEnd = Math.min(w.end, w.period.finishDay - 7);
    const topic = pickLesson(d, w, () => true);
    if (topic) {
      topic.topic = rng.pick([null, '', 'Урок', '-', 'тема', '...']);
      record(d, 'topic-missing', { lesson: topic.id }, topic.appearAt);
    }
    const noAttendance = pickLesson(d, w, (l) => !isControlLesson(d, l));
    if (noAttendance) {
      d.attendance = d.attendance.filter((a) => a.lessonId !== noAttendance.id);
      for (const s of cls.students) d.attendanceOf.delete(pairKey(s.id, noAttendance.id));
      record(d, 'attendance-not-kept', { lesson: noAttendance.id }, noAttendance.appearAt);
    }
    if (cls.grade === 1) {
      for (let i = 0; i < 2; i++) {
        const l = pickLesson(d, w, () => true);
        if (!l) continue;
        const hw = {
          ...d.classWork.get(l.id)!,
          id: d.nextWorkId(),
          type: 'Homework',
          workTypeId: workTypeByKind('LessonHomework').id,
          kind: 'LessonHomework',
          text: rng.pick([
            'Повторить стихотворение',
            'Нарисовать осенний лист',
            'Прописи, стр. 12',
          ]),
        };
        d.homework.set(l.id, hw);
        d.works.push(hw);
        record(d, 'grade1-homework', { work: hw.id }, hw.appearAt);
      }
      continue;
    }
    const homework = pickLesson(d, w, () => true);
    if (homework) {
      const hw = d.homework.get(homework.id)!;
      const variant = rng.int(0, 3);
      if (variant === 0) {
        d.works = d.works.filter((x) => x.id !== hw.id);
        d.homework.delete(homework.id);
      } else hw.text = ['', 'нет', ' - '][variant - 1]!;
      record(d, 'homework-missing', { lesson: homework.id }, homework.appearAt);
    }
    plantTwo(d, w, safeEnd);
    const absent = pickLesson(
      d,
      w,
      (l) => !isControlLesson(d, l) && d.classWork.get(l.id)!.kind !== 'LessonHomework',
      safeEnd,
    );
    const absentStudent = absent && presentStudent(d, absent);
    if (absent && absentStudent) {
      d.attendanceOf.get(pairKey(absentStudent.id, absent.id))!.status = 'Absent';
      d.forced.set(pairKey(absentStudent.id, absent.id), { value: rng.pick(['4', '5']) });
      record(
        d,
        'absent-with-mark',
        { lesson: absent.id, student: absentStudent.id },
        absent.appearAt,
      );
    }
    const control = pickLesson(d, w, (l) => isControlLesson(d, l), safeEnd);
    const unmarked = control && presentStudent(d, control);
    if (control && unmarked) {
      d.noMark.add(pairKey(unmarked.id, control.id));
      record(
        d,
        'control-work-unmarked',
        { work: d.classWork.get(control.id)!.id, student: unmarked.id },
        control.appearAt,
      );
    }
    {
      // Before T0, one late mark: the platform's entry moment shows it to a school that installs
      // ezh mid-year. After T0, one in the first days (a short advance shows it) and one later.
      const ends = w.future ? [Math.min(safeEnd, w.start + 3), safeEnd] : [safeEnd];
      for (const end of ends) {
        const l = pickLesson(d, w, (x) => !isControlLesson(d, x), end);
        const s = l && presentStudent(d, l);
        if (!l || !s) continue;
        const appearAt = localInstant(l.day + rng.int(2, 3), rng.int(600, 1080), d.offset);
        d.forced.set(pairKey(s.id, l.id), { value: rng.pick(['4', '5']), appearAt });
        d.markPlants.push({ rule: 'mark-late', studentId: s.id, lessonId: l.id });
      }
    }
  }
}

/** A «2» with no better mark on the next three lessons of the subject. */
function plantTwo(d: Draft, w: Window, end: number): void {
  const ok = (l: LessonRow): boolean => {
    const next = [1, 2, 3].map((k) => nthAfter(d, l, k));
    return (
      !isControlLesson(d, l) &&
      next.every((n) => n !== undefined && !d.reserved.has(n.id) && !isControlLesson(d, n)) &&
      next[2]!.day <= end
    );
  };
  const l = pickLesson(d, w, ok);
  const s = l && presentStudent(d, l, nthAfter(d, l, 3)!.day);
  if (!l || !s) return;
  d.forced.set(pairKey(s.id, l.id), { value: '2' });
  for (const k of [1, 2, 3]) {
    const n = nthAfter(d, l, k)!;
    d.reserved.add(n.id);
    d.noMark.add(pairKey(s.id, n.id));
  }
  // No earlier «2» may schedule its correction into these lessons.
  for (const k of [1, 2, 3]) {
    const before = d.bySeries.get(seriesKey(l))?.[l.seq - k];
    if (before) d.noTwo.add(pairKey(s.id, before.id));
  }
  d.markPlants.push({ rule: 'two-not-corrected', studentId: s.id, lessonId: l.id });
}

/** Resolves mark plants to mark ids; plants grade-1 marks (grade 1 gets no marks otherwise). */
export function plantAfterMarks(d: Draft): void {
  for (const p of d.markPlants) {
    const mark = d.marks.find((m) => m.studentId === p.studentId && m.lessonId === p.lessonId);
    if (mark) record(d, p.rule, { mark: mark.id }, mark.appearAt);
  }
  if (d.cls.grade !== 1) return;
  for (const w of windows(d)) {
    for (let i = 0; i < 2; i++) {
      const l = pickLesson(d, w, () => true);
      const s = l && presentStudent(d, l);
      if (!l || !s) continue;
      const mark = addMark(
        d,
        l,
        d.classWork.get(l.id)!,
        s,
        d.rng.pick(['4', '5']),
        eveningOf(d, l),
      );
      record(d, 'grade1-mark', { mark: mark.id }, mark.appearAt);
    }
  }
}

/** One student per period and class kept below the accumulation norm in one subject. */
export function plantUnderNorm(d: Draft): void {
  const { cls, rng } = d;
  if (cls.grade === 1) return;
  for (const p of cls.periods) {
    const norm = accumulationNorm(p.kind);
    const students = rng.shuffle(cls.students.filter((s) => s.leaveDay === null));
    const subjects = rng.shuffle([...cls.subjects]);
    let done = false;
    for (const subject of subjects) {
      for (const s of students) {
        const own = d.marks.filter(
          (m) =>
            m.studentId === s.id &&
            m.subjectId === subject.subjectId &&
            m.day >= p.startDay &&
            m.day <= p.finishDay,
        );
        const removable = own.filter(
          (m) =>
            !m.locked && m.value !== '2' && !isControlKind(m.kind) && !d.reserved.has(m.lessonId),
        );
        const keep = norm - 1;
        if (own.length - removable.length > keep || own.length < keep) continue;
        const drop = new Set(removable.slice(0, own.length - keep).map((m) => m.id));
        d.marks = d.marks.filter((m) => !drop.has(m.id));
        d.underNorm.add(`${s.id}|${subject.subjectId}|${p.id}`);
        record(
          d,
          'mark-accumulation',
          { class: cls.id, student: s.id, subject: subject.subjectId, period: p.id },
          0,
        );
        done = true;
        break;
      }
      if (done) break;
    }
  }
}

/** Per period: one missing, one early-dated and one non-objective period mark. */
export function plantFinalMarks(d: Draft): void {
  const { cls, rng } = d;
  for (const p of cls.periods) {
    const staying = new Set(cls.students.filter((s) => s.leaveDay === null).map((s) => s.id));
    const own = d.finalMarks.filter(
      (f) =>
        f.periodId === p.id &&
        staying.has(f.studentId) &&
        !d.underNorm.has(`${f.studentId}|${f.subjectId}|${p.id}`),
    );
    const usedStudents = new Set<string>();
    const pick = (fits: (f: (typeof own)[number]) => boolean = () => true) => {
      const c = own.filter((f) => !usedStudents.has(f.studentId) && fits(f));
      if (c.length === 0) return null;
      const f = rng.pick(c);
      usedStudents.add(f.studentId);
      return f;
    };
    const missing = pick();
    if (missing) {
      d.finalMarks = d.finalMarks.filter((f) => f.id !== missing.id);
      record(
        d,
        'final-mark-missing',
        { class: cls.id, student: missing.studentId, subject: missing.subjectId, period: p.id },
        0,
      );
    }
    const early = pick();
    if (early) {
      const last = lastLessonDay(d, early.subjectId, p);
      const day = last - rng.int(2, 6);
      early.date = `${dateOf(day)}T${String(rng.int(14, 19))}:${String(rng.int(10, 59))}:00`;
      early.day = day;
      record(d, 'final-mark-early', { mark: early.id }, early.appearAt);
    }
    // Only a five-point mark can be non-objective (variety.ts turns a 10-point class's and the
    // pass/fail subject's marks to their scales, where the rule does not apply).
    const skewed = onTenPoints(d) ? null : pick((f) => f.subjectId !== passFailSubjectId(d));
    if (skewed) {
      skewed.value = skewed.value === '5' ? '4' : String(Number(finalState(skewed).value) + 1);
      record(d, 'final-mark-objectivity', { mark: skewed.id }, skewed.appearAt);
    }
  }
}

export function lastLessonDay(d: Draft, subjectId: string, p: PeriodModel): number {
  let last = -1;
  for (const l of d.bySubject.get(subjectId) ?? []) {
    if (l.day >= p.startDay && l.day <= p.finishDay) last = l.day;
  }
  return last;
}
