import { accumulationNorm } from './averages.js';
import { attends, nthAfter, pairKey, presentAt, type Draft } from './draft.js';
import { localInstant } from './local-time.js';
import type { LessonRow, MarkRow, StudentModel, WorkRow } from './model.js';
import { hash32 } from './random.js';
import { isControlKind } from './work-types.js';

/**
 * Current marks («текущие отметки»), generated clean against docs/rules.md: control works are
 * marked for every present student (entered within four days), other marks on the lesson day
 * 15:00–20:00; absent students get marks only on homework-kind works; every «2» gets a better
 * mark within the next two lessons (before the third one's day); then every active student is
 * topped up to the accumulation norm plus a margin.
 */

function ability(studentId: string): number {
  return (hash32(`ability|${studentId}`) / 0x100000000) * 2 - 1;
}

function randomValue(d: Draft, studentId: string): string {
  const a = ability(studentId);
  return d.rng.weighted([
    ['5', Math.max(5, 30 + 25 * a)],
    ['4', 40],
    ['3', Math.max(4, 22 - 14 * a)],
    ['2', Math.max(1.5, 7 - 5 * a)],
  ] as const);
}

/** The lesson day at a random moment between 15:00 and 20:00 (when teachers fill the journal). */
export function eveningOf(d: Draft, lesson: LessonRow): number {
  return localInstant(lesson.day, d.rng.int(900, 1199), d.offset) + d.rng.int(0, 59_999);
}

/**
 * When a teacher enters a lesson's mark: a fifth of them during the lesson itself (an answer at
 * the board), the rest that evening, 15:00–20:00. The same draws as `eveningOf`, so the rest of
 * the generated school does not move.
 */
function entryMomentOf(d: Draft, lesson: LessonRow): number {
  const minute = d.rng.int(900, 1199);
  const ms = d.rng.int(0, 59_999);
  if (minute < 960) {
    const start =
      lesson.dayStart +
      (Number(lesson.startsAt.slice(11, 13)) * 60 + Number(lesson.startsAt.slice(14, 16))) * 60_000;
    return start + (((minute - 900) % 40) + 3) * 60_000 + ms;
  }
  return localInstant(lesson.day, minute, d.offset) + ms;
}

export function addMark(
  d: Draft,
  lesson: LessonRow,
  work: WorkRow,
  student: StudentModel,
  value: string,
  appearAt: number,
  extra: Partial<MarkRow> = {},
): MarkRow {
  const mark: MarkRow = {
    id: d.nextMarkId(),
    classId: d.cls.id,
    lessonId: lesson.id,
    workId: work.id,
    studentId: student.id,
    subjectId: lesson.subjectId,
    value,
    day: lesson.day,
    workTypeId: work.workTypeId,
    kind: work.kind,
    countsInAverage: true,
    appearAt,
    deletedAt: null,
    ...extra,
  };
  d.marks.push(mark);
  return mark;
}

/** Finds where a «2» at `lesson` gets corrected; null when no lesson fits (then no «2» is given). */
function correctionLesson(d: Draft, student: StudentModel, lesson: LessonRow): LessonRow | null {
  const third = nthAfter(d, lesson, 3);
  for (const k of [1, 2]) {
    const j = nthAfter(d, lesson, k);
    if (!j) return null;
    if (third && j.day >= third.day) return null;
    if (!presentAt(d, student, j) || d.noMark.has(pairKey(student.id, j.id))) continue;
    return j;
  }
  return null;
}

export function buildMarks(d: Draft): void {
  const { cls, rng } = d;
  if (cls.grade === 1) return;
  for (const lesson of d.lessons) {
    const work = d.classWork.get(lesson.id)!;
    const control = isControlKind(work.kind);
    for (const s of cls.students) {
      if (!attends(d, s, lesson)) continue;
      const key = pairKey(s.id, lesson.id);
      const forced = d.forced.get(key);
      if (d.noMark.has(key) && !forced) continue;
      const present = presentAt(d, s, lesson);
      let give: boolean;
      if (forced) give = true;
      else if (present) give = control || rng.chance(0.2);
      else {
        give =
          work.kind === 'LessonHomework' &&
          lesson.day < (s.leaveDay ?? Infinity) &&
          rng.chance(0.15);
      }
      if (!give) continue;
      let value = forced?.value ?? randomValue(d, s.id);
      if (value === '2' && !forced) {
        const j = d.noTwo.has(key) ? null : correctionLesson(d, s, lesson);
        if (j) {
          d.forced.set(pairKey(s.id, j.id), {
            value: rng.pick(['3', '4', '4', '5']),
            locked: true,
          });
        } else value = '3';
      }
      const appearAt =
        forced?.appearAt ??
        (control && !forced
          ? localInstant(lesson.day + rng.int(1, 4), rng.int(900, 1199), d.offset)
          : entryMomentOf(d, lesson));
      addMark(d, lesson, work, s, value, appearAt, {
        countsInAverage: control || value === '2' ? true : !rng.chance(0.03),
        ...(forced?.locked ? { locked: true } : {}),
      });
    }
  }
}

/** Marks per `${studentId}|${subjectId}|${periodId}` over live (not deleted) marks. */
export function countMarks(d: Draft): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of d.marks) {
    if (m.deletedAt !== null) continue;
    const p = d.cls.periods.find((x) => m.day >= x.startDay && m.day <= x.finishDay);
    if (!p) continue;
    const k = `${m.studentId}|${m.subjectId}|${p.id}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/** Adds «4»/«5» marks until each active student has the period norm plus two (the deletion margin). */
export function topUpMarks(d: Draft): void {
  const { cls, rng } = d;
  if (cls.grade === 1) return;
  const counts = countMarks(d);
  const marked = new Set(d.marks.map((m) => pairKey(m.studentId, m.lessonId)));
  for (const p of cls.periods) {
    const target = accumulationNorm(p.kind) + 2;
    for (const subject of cls.subjects) {
      const lessons = (d.bySubject.get(subject.subjectId) ?? []).filter(
        (l) =>
          l.day >= p.startDay &&
          l.day <= p.finishDay &&
          !isControlKind(d.classWork.get(l.id)!.kind),
      );
      for (const s of cls.students) {
        if (s.leaveDay !== null && s.leaveDay <= p.finishDay) continue;
        const k = `${s.id}|${subject.subjectId}|${p.id}`;
        if (d.underNorm.has(k)) continue;
        let n = counts.get(k) ?? 0;
        for (const l of rng.shuffle([...lessons])) {
          if (n >= target) break;
          const pk = pairKey(s.id, l.id);
          if (marked.has(pk) || d.noMark.has(pk) || !presentAt(d, s, l)) continue;
          addMark(d, l, d.classWork.get(l.id)!, s, rng.pick(['4', '5']), eveningOf(d, l));
          marked.add(pk);
          n++;
        }
        counts.set(k, n);
      }
    }
  }
}
