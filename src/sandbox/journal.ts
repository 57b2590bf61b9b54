import { schoolDays } from './calendar.js';
import { applyChurn } from './churn.js';
import { homeworkFor, subjectDef, topicFor } from './curriculum.js';
import { attends, enrolledOn, newDraft, pairKey, seriesKey, type Draft } from './draft.js';
import { buildFinalMarks } from './final-marks.js';
import { dateOf, isoWeekday, localInstant, MINUTE, naiveLocal } from './local-time.js';
import { buildMarks, topUpMarks } from './marks.js';
import type {
  AttendanceRow,
  ClassModel,
  Journal,
  LessonRow,
  SchoolModel,
  WorkRow,
} from './model.js';
import { plantAfterMarks, plantBeforeMarks, plantFinalMarks, plantUnderNorm } from './planting.js';
import { addCurrentVariety, addFinalVariety } from './variety.js';
import { workTypeByKind } from './work-types.js';

/**
 * One class's journal for the whole school year, generated deterministically from the seed and
 * the class alone (so `large` can build classes on demand). Stage order matters: planted
 * violations are chosen before marks so that marks can respect them, and period marks are
 * computed last, from the final state of every current mark.
 */

const STATUS_WEIGHTS = [
  ['Attend', 960],
  ['Absent', 15],
  ['Late', 20],
  ['Pass', 5],
] as const;

/** Lesson start times (minutes after midnight) by lesson number 1..7. */
const SLOTS = [510, 565, 620, 685, 740, 795, 850];

export function buildJournal(school: SchoolModel, cls: ClassModel): Journal {
  const d = newDraft(school, cls);
  buildLessons(d);
  buildWorks(d);
  buildAttendance(d);
  plantBeforeMarks(d);
  buildMarks(d);
  plantAfterMarks(d);
  plantUnderNorm(d);
  topUpMarks(d);
  applyChurn(d);
  addCurrentVariety(d);
  buildFinalMarks(d);
  plantFinalMarks(d);
  addFinalVariety(d);
  return {
    classId: cls.id,
    lessons: d.lessons,
    works: d.works,
    marks: d.marks.sort((a, b) => a.day - b.day || a.appearAt - b.appearAt),
    attendance: d.attendance,
    finalWorks: d.finalWorks,
    finalMarks: d.finalMarks,
    planted: d.planted,
  };
}

function buildLessons(d: Draft): void {
  const { cls, offset } = d;
  for (const day of schoolDays(d.school.calendar, cls.grade)) {
    const keys = cls.timetable[isoWeekday(day) - 1] ?? [];
    keys.forEach((key, i) => {
      const subject = cls.subjects.find((s) => s.key === key)!;
      const list = d.bySubject.get(subject.subjectId) ?? [];
      d.bySubject.set(subject.subjectId, list);
      const start = localInstant(day, SLOTS[i]!, offset);
      // A split subject: each subgroup has its own lesson at the slot, with its own teacher.
      const groups = cls.groups.filter((g) => g.subjectKey === key);
      for (const group of groups.length > 0 ? groups : [null]) {
        const series = seriesKey({ subjectId: subject.subjectId, groupId: group?.id ?? null });
        const own = d.bySeries.get(series) ?? [];
        d.bySeries.set(series, own);
        const lesson: LessonRow = {
          id: d.nextLessonId(),
          classId: cls.id,
          groupId: group?.id ?? null,
          subjectId: subject.subjectId,
          subjectKey: key,
          day,
          date: dateOf(day),
          number: i + 1,
          startsAt: naiveLocal(start, offset),
          dayStart: localInstant(day, 0, offset),
          teacherId: group?.teacherId ?? subject.teacherId,
          topic: topicFor(subjectDef(key), own.length),
          seq: own.length,
          // The teacher opens the lesson in the journal when it starts.
          appearAt: start,
          deletedAt: null,
        };
        own.push(lesson);
        list.push(lesson);
        d.lessons.push(lesson);
        d.lessonById.set(lesson.id, lesson);
      }
    });
  }
}

/** How often a subject has a control work: about twice a quarter for most subjects. */
function controlEvery(hours: number): number {
  return hours >= 4 ? 10 : hours >= 2 ? 7 : 5;
}

function controlKind(key: string): string {
  if (key === 'rus') return 'LessonControlDictation';
  if (['art', 'music', 'tech', 'pe', 'inf', 'proj'].includes(key)) return 'LessonPracticalWork';
  return 'LessonControlWork';
}

function buildWorks(d: Draft): void {
  const { cls, rng, offset } = d;
  for (const lesson of d.lessons) {
    const subject = cls.subjects.find((s) => s.subjectId === lesson.subjectId)!;
    const every = controlEvery(subject.hours);
    const isControl = cls.grade >= 2 && lesson.seq % every === every - 1;
    const kind = isControl
      ? controlKind(subject.key)
      : rng.weighted([
          ['LessonAnswer', 70],
          ['LessonSelfWork', 15],
          ['LessonHomework', 15],
        ] as const);
    const wt = workTypeByKind(kind);
    const work: WorkRow = {
      id: d.nextWorkId(),
      lessonId: lesson.id,
      classId: cls.id,
      subjectId: lesson.subjectId,
      type: isControl ? 'LessonTestWork' : 'DefaultNewLessonWork',
      workTypeId: wt.id,
      kind,
      text: isControl ? wt.title : null,
      targetDate: null,
      sentDate: lesson.startsAt,
      createdBy: lesson.teacherId,
      periodNumber: null,
      periodType: null,
      appearAt: lesson.appearAt,
      deletedAt: null,
    };
    d.classWork.set(lesson.id, work);
    d.works.push(work);
    if (cls.grade === 1) continue;
    const next = d.bySeries.get(seriesKey(lesson))?.[lesson.seq + 1];
    const hw: WorkRow = {
      ...work,
      id: d.nextWorkId(),
      type: 'Homework',
      workTypeId: workTypeByKind('LessonHomework').id,
      kind: 'LessonHomework',
      text: homeworkFor(subjectDef(lesson.subjectKey), lesson.seq, rng.int(0, 120)),
      targetDate: next
        ? next.startsAt
        : naiveLocal(localInstant(lesson.day + 7, 510, offset), offset),
      appearAt: lesson.appearAt + rng.int(20, 44) * MINUTE,
    };
    d.homework.set(lesson.id, hw);
    d.works.push(hw);
  }
}

/**
 * Attendance for every enrolled student on every lesson (of a subgroup's lesson, its members):
 * mostly present, with illness streaks.
 */
function buildAttendance(d: Draft): void {
  const { cls, rng, offset } = d;
  const illUntil = new Map<string, number>();
  let currentDay = -1;
  const illToday = new Set<string>();
  for (const lesson of d.lessons) {
    if (lesson.day !== currentDay) {
      currentDay = lesson.day;
      illToday.clear();
      for (const s of cls.students) {
        const until = illUntil.get(s.id) ?? -1;
        if (until >= currentDay) illToday.add(s.id);
        else if (rng.chance(0.012)) {
          illUntil.set(s.id, currentDay + rng.int(1, 6));
          illToday.add(s.id);
        }
      }
    }
    const start = localInstant(lesson.day, SLOTS[lesson.number - 1]!, offset);
    for (const s of cls.students) {
      if (!attends(d, s, lesson) || !enrolledOn(s, lesson.day)) continue;
      const status: AttendanceRow['status'] = illToday.has(s.id)
        ? 'Ill'
        : rng.weighted(STATUS_WEIGHTS);
      const created = start + rng.int(2, 40) * MINUTE + rng.int(0, 59_999);
      const row: AttendanceRow = {
        lessonId: lesson.id,
        studentId: s.id,
        classId: cls.id,
        subjectId: lesson.subjectId,
        day: lesson.day,
        status,
        // The platform stamps entries in UTC, not in the school's zone (reference §7).
        createdDate: naiveLocal(created, 0, rng.chance(0.4)),
        comment:
          status === 'Ill' ? 'по болезни' : status === 'Pass' ? 'по заявлению родителей' : null,
        appearAt: created,
        deletedAt: null,
      };
      d.attendance.push(row);
      d.attendanceOf.set(pairKey(s.id, lesson.id), row);
    }
  }
}
