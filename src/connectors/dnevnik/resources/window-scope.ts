import { settleAll } from '../../_shared/settle-all.js';
import type { LessonRecord, StreamName, StreamRecords, WorkRecord } from '../../records.js';
import type { DnevnikClient } from '../client.js';
import type { FetchSink } from '../fetch-sink.js';
import { toAttendance } from '../mappers/to-attendance.js';
import { lessonSubjectId, toLesson } from '../mappers/to-lesson.js';
import { NO_SUBJECTS, toMark, type SubjectLookup } from '../mappers/to-mark.js';
import { toWork } from '../mappers/to-work.js';
import { lessonSchema } from '../schemas/lesson.js';
import { logEntrySchema } from '../schemas/log-entry.js';
import { markSchema } from '../schemas/mark.js';
import { workSchema } from '../schemas/work.js';
import { paths } from './paths.js';

type Out = Partial<{ [K in StreamName]: StreamRecords[K][] }>;

export interface WindowScope {
  schoolId: string;
  classId: string;
  from: string;
  to: string;
  /** The zone of the platform's entry moments (`platform.entryTimeZone`). */
  entryZone: string;
}

/**
 * Window-level streams of one class: lessons with their works (one call), marks (one call), and
 * attendance (one call per subject taught in the window, the subjects read from the lessons of
 * the same window). Nothing is fetched per student or per lesson.
 */
export async function fetchWindowScope(
  client: DnevnikClient,
  scope: WindowScope,
  want: ReadonlySet<StreamName>,
  sink: FetchSink,
): Promise<Out> {
  const out: Out = {};
  const { classId, from, to } = scope;
  const get = (path: string, query?: Record<string, string>) =>
    client.get(path, { stats: sink.stats, query });

  const needLessons = want.has('lessons') || want.has('works') || want.has('attendance');
  const [lessonsReply, marksReply] = await settleAll<unknown>([
    needLessons ? get(paths.lessons(classId, from, to)) : Promise.resolve(null),
    want.has('marks') ? get(paths.marks(classId, from, to)) : Promise.resolve(null),
  ]);

  const lessons: LessonRecord[] = [];
  const works: WorkRecord[] = [];
  if (needLessons) {
    for (const raw of sink.list('lessons', lessonSchema, lessonsReply, 'lessons')) {
      const lesson = toLesson(raw, classId);
      lessons.push(lesson);
      for (const rawWork of raw.works ?? []) {
        if (rawWork === null || typeof rawWork !== 'object') {
          // A bare work id (the schedule shape) carries nothing to store: the set is not whole.
          sink.complete = false;
          continue;
        }
        const work = sink.one('works', workSchema, rawWork);
        if (work) {
          works.push(
            toWork(work, { classId, lessonId: lesson.id, subjectId: lessonSubjectId(raw) }),
          );
        }
      }
    }
    if (want.has('lessons')) out.lessons = lessons;
    if (want.has('works')) out.works = works;
  }

  if (want.has('marks')) {
    const subjects = needLessons ? subjectLookup(lessons, works) : NO_SUBJECTS;
    out.marks = sink
      .list('marks', markSchema, marksReply, 'marks')
      .map((m) => toMark(m, classId, subjects, scope.entryZone));
  }

  if (want.has('attendance')) {
    const subjectIds = [...new Set(lessons.map((l) => l.subjectId))].sort();
    const perSubject = await settleAll(
      subjectIds.map(async (subjectId) => {
        const reply = await get(paths.groupLogEntries(classId), { subject: subjectId, from, to });
        return sink
          .list('attendance', logEntrySchema, reply, `lesson-log-entries of subject ${subjectId}`)
          .map((e) => toAttendance(e, classId, subjectId, scope.entryZone));
      }),
    );
    out.attendance = perSubject.flat();
  }
  return out;
}

function subjectLookup(
  lessons: readonly LessonRecord[],
  works: readonly WorkRecord[],
): SubjectLookup {
  const lessonSubject = new Map(lessons.map((l) => [l.id, l.subjectId]));
  const workSubject = new Map(
    works.map((w) => [
      w.id,
      w.subjectId ?? (w.lessonId ? lessonSubject.get(w.lessonId) : null) ?? null,
    ]),
  );
  return {
    ofWork: (id) => workSubject.get(id) ?? null,
    ofLesson: (id) => lessonSubject.get(id) ?? null,
  };
}
