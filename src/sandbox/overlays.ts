import { expectedMark, isNumericMark } from './averages.js';
import { subjectDef, topicFor } from './curriculum.js';
import { bigId } from './ids.js';
import { naiveLocal, localDayOf, localInstant } from './local-time.js';
import type { ClassModel, FindingKey, Journal, MarkRow, SchoolModel, WorkRow } from './model.js';
import { unitFor } from './random.js';
import { addEdit, viewAt } from './rows.js';
import { schoolSalt } from './school.js';
import { accumulationNorm } from './averages.js';
import { workTypeById, workTypeByKind } from './work-types.js';

/**
 * Test hooks as timeline operations. An operation is data (what, when), applied to a freshly
 * generated journal, so a class evicted from the cache comes back with the same changes.
 */
export type Overlay =
  | { kind: 'dropMarks'; at: number; share: number }
  | { kind: 'fix'; at: number; finding: FindingKey }
  | {
      kind: 'enterMark';
      at: number;
      id: string;
      lessonId: string;
      studentId: string;
      value: string;
    };

export function applyOverlays(
  school: SchoolModel,
  cls: ClassModel,
  j: Journal,
  ops: readonly Overlay[],
): void {
  ops.forEach((op, i) => {
    if (op.kind === 'dropMarks') dropMarks(j, op.at, op.share);
    else if (op.kind === 'enterMark') enterMark(cls, j, op);
    else fix(school, cls, j, op.at, op.finding, i);
  });
}

/** A teacher sets a mark for a lesson at `at` (any lesson, however long ago it was). */
function enterMark(cls: ClassModel, j: Journal, op: Extract<Overlay, { kind: 'enterMark' }>): void {
  const lesson = j.lessons.find((l) => l.id === op.lessonId);
  if (!lesson) throw new Error(`no lesson ${op.lessonId} in class ${cls.id}`);
  const work = j.works.find((w) => w.lessonId === lesson.id && w.type !== 'Homework')!;
  j.marks.push({
    ...markBase(cls.id, lesson, work, op.studentId, op.value),
    countsInAverage: true,
    id: op.id,
    appearAt: op.at,
    deletedAt: null,
  });
}

/** Deletes `share` of the class's live marks at `at`, chosen by a hash of their ids. */
function dropMarks(j: Journal, at: number, share: number): void {
  const live = j.marks.filter((m) => viewAt(m, at) !== null);
  const order = live.map((m) => ({ m, r: unitFor('drop', m.id) })).sort((a, b) => a.r - b.r);
  for (const { m } of order.slice(0, Math.round(share * live.length))) m.deletedAt = at;
}

export class UnfixableError extends Error {}

function fix(
  school: SchoolModel,
  cls: ClassModel,
  j: Journal,
  at: number,
  f: FindingKey,
  opIndex: number,
): void {
  const off = school.offsetHours;
  const salt = schoolSalt(school);
  const newId = (kind: 'work' | 'mark' | 'finalMark', k: number) =>
    bigId(kind, salt, cls.index, 5_000_000_000 + opIndex * 1000 + k);
  const lesson = f.lesson ? j.lessons.find((l) => l.id === f.lesson) : undefined;
  const newMark = (base: Omit<MarkRow, 'id' | 'appearAt' | 'deletedAt'>, k: number): void => {
    j.marks.push({ ...base, id: newId('mark', k), appearAt: at, deletedAt: null });
  };
  const classWorkOf = (lessonId: string) =>
    j.works.find((w) => w.lessonId === lessonId && w.type !== 'Homework')!;
  switch (f.rule) {
    case 'topic-missing':
      if (lesson) {
        addEdit(lesson, at, { topic: topicFor(subjectDef(lesson.subjectKey), lesson.seq) });
      }
      return;
    case 'homework-missing': {
      if (!lesson) return;
      const text = 'Повторить материал урока, выполнить задания в тетради';
      const hw = j.works.find((w) => w.lessonId === lesson.id && w.type === 'Homework');
      if (hw) addEdit(hw, at, { text });
      else {
        const base = classWorkOf(lesson.id);
        const work: WorkRow = {
          ...base,
          id: newId('work', 0),
          type: 'Homework',
          kind: 'LessonHomework',
          workTypeId: workTypeByKind('LessonHomework').id,
          text,
          edits: [],
          appearAt: at,
        };
        j.works.push(work);
      }
      return;
    }
    case 'grade1-mark':
      for (const m of j.marks) if (m.id === f.mark) m.deletedAt = at;
      return;
    case 'grade1-homework':
      for (const w of j.works) if (w.id === f.work) w.deletedAt = at;
      return;
    case 'attendance-not-kept':
      if (!lesson) return;
      for (const s of cls.students) {
        if (s.leaveDay !== null && lesson.day >= s.leaveDay) continue;
        // A subgroup's lesson: its members only.
        if (
          lesson.groupId &&
          !cls.groups.some((g) => g.id === lesson.groupId && g.studentIds.includes(s.id))
        ) {
          continue;
        }
        j.attendance.push({
          lessonId: lesson.id,
          studentId: s.id,
          classId: cls.id,
          subjectId: lesson.subjectId,
          day: lesson.day,
          status: 'Attend',
          createdDate: naiveLocal(at, 0),
          comment: null,
          appearAt: at,
          deletedAt: null,
        });
      }
      return;
    case 'absent-with-mark':
      for (const a of j.attendance) {
        if (a.lessonId === f.lesson && a.studentId === f.student) {
          addEdit(a, at, { status: 'Late' });
        }
      }
      return;
    case 'control-work-unmarked': {
      const work = j.works.find((w) => w.id === f.work);
      const l = work && j.lessons.find((x) => x.id === work.lessonId);
      if (!work || !l) return;
      newMark(markBase(cls.id, l, work, f.student!, '4'), 0);
      return;
    }
    case 'two-not-corrected': {
      const two = j.marks.find((m) => m.id === f.mark);
      const l = two && j.lessons.find((x) => x.id === two.lessonId);
      if (!two || !l) return;
      const next = j.lessons.find((x) => x.subjectId === l.subjectId && x.seq === l.seq + 1);
      if (next) newMark(markBase(cls.id, next, classWorkOf(next.id), two.studentId, '3'), 0);
      return;
    }
    case 'mark-accumulation': {
      const p = cls.periods.find((x) => x.id === f.period)!;
      const have = new Set(
        j.marks.filter((m) => m.studentId === f.student && viewAt(m, at)).map((m) => m.lessonId),
      );
      const count = j.marks.filter(
        (m) =>
          m.studentId === f.student &&
          m.subjectId === f.subject &&
          m.day >= p.startDay &&
          m.day <= p.finishDay &&
          viewAt(m, at),
      ).length;
      const free = j.lessons.filter(
        (l) =>
          l.subjectId === f.subject &&
          l.day >= p.startDay &&
          l.day <= p.finishDay &&
          !have.has(l.id),
      );
      free.slice(0, Math.max(0, accumulationNorm(p.kind) - count)).forEach((l, k) => {
        newMark(markBase(cls.id, l, classWorkOf(l.id), f.student!, '4'), k);
      });
      return;
    }
    case 'final-mark-missing': {
      const p = cls.periods.find((x) => x.id === f.period)!;
      const work = j.finalWorks.find(
        (w) => w.subjectId === f.subject && w.periodNumber === p.number,
      );
      if (!work) return;
      j.finalMarks.push({
        id: newId('finalMark', 0),
        workId: work.id,
        classId: cls.id,
        subjectId: f.subject!,
        studentId: f.student!,
        periodId: p.id,
        periodNumber: p.number,
        periodKind: p.kind,
        value: expectedFor(j, at, f.student!, f.subject!, p.startDay, p.finishDay) ?? '4',
        date: naiveLocal(at, off),
        day: localDayOf(at, off),
        appearAt: at,
        deletedAt: null,
      });
      return;
    }
    case 'final-mark-early': {
      const fm = j.finalMarks.find((x) => x.id === f.mark);
      if (!fm) return;
      const p = cls.periods.find((x) => x.id === fm.periodId)!;
      const last = j.lessons
        .filter((l) => l.subjectId === fm.subjectId && l.day <= p.finishDay)
        .at(-1)!;
      const when = Math.max(at, localInstant(last.day, 18 * 60, off));
      addEdit(fm, at, { date: naiveLocal(when, off), day: localDayOf(when, off) });
      return;
    }
    case 'final-mark-objectivity': {
      const fm = j.finalMarks.find((x) => x.id === f.mark);
      if (!fm) return;
      const p = cls.periods.find((x) => x.id === fm.periodId)!;
      const value = expectedFor(j, at, fm.studentId, fm.subjectId, p.startDay, p.finishDay);
      if (value) addEdit(fm, at, { value });
      return;
    }
    case 'mark-late':
      throw new UnfixableError('a late mark stays late: mark-late cannot be fixed');
  }
}

function markBase(
  classId: string,
  l: Journal['lessons'][number],
  work: WorkRow,
  studentId: string,
  value: string,
) {
  return {
    classId,
    lessonId: l.id,
    workId: work.id,
    studentId,
    subjectId: l.subjectId,
    value,
    day: l.day,
    workTypeId: work.workTypeId,
    kind: work.kind,
    // Fix-up marks stay out of the average so that period marks remain objective.
    countsInAverage: false,
  };
}

function expectedFor(
  j: Journal,
  at: number,
  studentId: string,
  subjectId: string,
  from: number,
  to: number,
): string | null {
  const own = j.marks
    .map((m) => viewAt(m, at))
    .filter(
      (m): m is MarkRow =>
        m !== null &&
        m.studentId === studentId &&
        m.subjectId === subjectId &&
        m.day >= from &&
        m.day <= to &&
        m.countsInAverage &&
        isNumericMark(m.value),
    );
  return expectedMark(
    own.map((m) => ({ value: Number(m.value), weight: workTypeById(m.workTypeId)?.weight ?? 1 })),
  );
}
