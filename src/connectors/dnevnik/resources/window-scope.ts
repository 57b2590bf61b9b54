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
import { twin } from '../schemas/common.js';
import { PlatformError } from '../../_shared/http-error.js';
import { getLogger } from '../../../platform/logger.js';
import { windowKey, type Companion, type WindowLesson, type WindowState } from './window-state.js';

type Out = Partial<{ [K in StreamName]: StreamRecords[K][] }>;

export interface WindowScope {
  schoolId: string;
  classId: string;
  from: string;
  to: string;
  /** The zone of the platform's entry moments (`platform.entryTimeZone`). */
  entryZone: string;
}

/** Lesson ids per attendance call: a week of a class is one call, the URL stays near 2 KB. */
export const LESSONS_PER_CALL = 60;

/**
 * Window-level streams of one class: lessons with their works (one call), marks (one call), and
 * attendance: one call per {@link LESSONS_PER_CALL} lessons of the window, by their ids (reference
 * §2.2 row 61), the lessons taken from the window's lessons fetch just before (`state`) or read
 * here; the lessons of other classes' same window, read just before and not yet asked for, ride
 * along in the same calls and their entries are kept for their own fetch (`window-state.ts`); on
 * a platform that refuses that call, one call per subject taught in the window (row 62). Nothing
 * is fetched per student or per lesson.
 */
export async function fetchWindowScope(
  client: DnevnikClient,
  scope: WindowScope,
  want: ReadonlySet<StreamName>,
  sink: FetchSink,
  state: WindowState,
): Promise<Out> {
  const out: Out = {};
  const { classId, from, to } = scope;
  const key = windowKey(classId, from, to);
  const get = (path: string, query?: Query) => client.get(path, { stats: sink.stats, query });

  const readsLessons = want.has('lessons') || want.has('works');
  const remembered = !readsLessons && want.has('attendance') ? state.take(key) : null;
  const needLessons = readsLessons || (want.has('attendance') && remembered === null);
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
    // Only a whole, clean lesson list may stand in for the next attendance fetch: a quarantined
    // lesson holds its attendance back from deletion, which a remembered list would not do.
    if (readsLessons && !want.has('attendance') && sink.complete && sink.quarantined.length === 0) {
      state.remember(
        key,
        lessons.map((l) => ({ id: l.id, subjectId: l.subjectId })),
      );
    }
  }

  if (want.has('marks')) {
    const subjects = needLessons ? subjectLookup(lessons, works) : NO_SUBJECTS;
    out.marks = sink
      .list('marks', markSchema, marksReply, 'marks')
      .map((m) => toMark(m, classId, subjects, scope.entryZone));
  }

  if (want.has('attendance')) {
    const known: WindowLesson[] =
      remembered ?? lessons.map((l) => ({ id: l.id, subjectId: l.subjectId }));
    out.attendance = await fetchAttendance(get, scope, known, sink, state);
  }
  return out;
}

type Query = Record<string, string | readonly string[]>;
type Get = (path: string, query?: Query) => Promise<unknown>;

async function fetchAttendance(
  get: Get,
  scope: WindowScope,
  lessons: readonly WindowLesson[],
  sink: FetchSink,
  state: WindowState,
): Promise<StreamRecords['attendance'][]> {
  const { classId, from, to } = scope;
  const key = windowKey(classId, from, to);
  const subjectOf = new Map(lessons.map((l) => [l.id, l.subjectId]));
  const toRecords = (replies: readonly unknown[]) =>
    replies.flatMap((reply) =>
      sink.list('attendance', logEntrySchema, reply, 'lesson-log-entries of lessons').map((e) => {
        const lessonId = twin(e.lesson_str, e.lesson) as string;
        return toAttendance(e, classId, subjectOf.get(lessonId) ?? null, scope.entryZone);
      }),
    );
  if (state.attendanceByLessons && lessons.length > 0) {
    // Brought along by another class's call a moment ago, for exactly these lessons.
    const kept = await state.takeStash(key, lessons);
    if (kept) return toRecords([kept]);
    const ids = [...subjectOf.keys()].sort();
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += LESSONS_PER_CALL) {
      chunks.push(ids.slice(i, i + LESSONS_PER_CALL));
    }
    // Claimed before any call is sent: a call made meanwhile for another class leaves them out.
    const riders = packAll(chunks, state.companions(key)).map((c) => ({
      ...c,
      settle: state.claim(c.key, c.lessons),
    }));
    try {
      const replies = await settleAll(
        chunks.map((c) => get(paths.lessonsLogEntries(), { lessons: c })),
      );
      return toRecords(splitRiders(replies, riders, new Set(ids)));
    } catch (err) {
      for (const r of riders) r.settle(null);
      // Refused as a request (not a fault, not the token): this platform has no such call.
      // A reply that refused it, that is: a fault without a reply proves nothing about the call.
      if (!(err instanceof PlatformError) || err.kind !== 'permanent' || err.status === null) {
        throw err;
      }
      state.attendanceByLessons = false;
      getLogger().warn(
        { type: err.type, status: err.status },
        'attendance by lesson ids refused by the platform: reading it per subject from now on',
      );
    }
  }
  const subjectIds = [...new Set(lessons.map((l) => l.subjectId))].sort();
  const perSubject = await settleAll(
    subjectIds.map(async (subjectId) => {
      const reply = await get(paths.groupLogEntries(classId), { subject: subjectId, from, to });
      return sink
        .list('attendance', logEntrySchema, reply, `lesson-log-entries of subject ${subjectId}`)
        .map((e) => toAttendance(e, classId, subjectId, scope.entryZone));
    }),
  );
  return perSubject.flat();
}

/**
 * Packs the caller's lesson ids and then every companion's into calls of at most
 * {@link LESSONS_PER_CALL} ids (a class's lessons may span two calls: its entries are gathered
 * from all the replies). Returns the classes taken along.
 */
function packAll(chunks: string[][], companions: readonly Companion[]): Companion[] {
  for (const c of companions) {
    for (const id of c.lessons.map((l) => l.id).sort()) {
      const last = chunks[chunks.length - 1]!;
      if (last.length < LESSONS_PER_CALL) last.push(id);
      else chunks.push([id]);
    }
  }
  return [...companions];
}

/** A class taken along, with the hand-over of its entries (`WindowState.claim`). */
type Rider = Companion & { settle: (entries: unknown[] | null) => void };

/**
 * The caller's entries of the replies; the riders' entries are handed over for their own fetch.
 * A lesson two classes list (a subgroup of both) goes to each of them, the caller included: each
 * class's fetch must hold all its lessons' entries, or the missing ones would look deleted. An
 * entry of a lesson nobody listed stays the caller's (its fetch validates it). A reply that is not
 * a list is passed on whole (the caller's fetch is then incomplete) and nothing is handed over:
 * the riders ask for themselves.
 */
function splitRiders(
  replies: readonly unknown[],
  riders: readonly Rider[],
  ownLessons: ReadonlySet<string>,
): unknown[] {
  if (!replies.every(Array.isArray)) {
    for (const r of riders) r.settle(null);
    return [...replies];
  }
  if (riders.length === 0) return [...replies];
  const ridersOf = new Map<string, Rider[]>();
  for (const r of riders) {
    for (const l of r.lessons) ridersOf.set(l.id, [...(ridersOf.get(l.id) ?? []), r]);
  }
  const own: unknown[] = [];
  const kept = new Map<Rider, unknown[]>(riders.map((r) => [r, []]));
  for (const entry of (replies as unknown[][]).flat()) {
    const lesson = lessonOf(entry) ?? '';
    const takers = ridersOf.get(lesson) ?? [];
    for (const rider of takers) kept.get(rider)!.push(entry);
    if (takers.length === 0 || ownLessons.has(lesson)) own.push(entry);
  }
  for (const [rider, entries] of kept) rider.settle(entries);
  return [own];
}

/** A raw entry's lesson id, leniently (validation is the owner's fetch's). */
function lessonOf(entry: unknown): string | null {
  if (entry === null || typeof entry !== 'object') return null;
  const o = entry as { lesson_str?: unknown; lesson?: unknown };
  const v = o.lesson_str ?? o.lesson;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : null;
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
