import type { MarkRecord } from '../../records.js';
import { toLocalDateTime } from '../dates.js';
import type { RawMark } from '../schemas/mark.js';
import { twin } from '../schemas/common.js';

/** Subjects of the works and lessons of the same window, for marks that do not name their subject. */
export interface SubjectLookup {
  ofWork(workId: string): string | null;
  ofLesson(lessonId: string): string | null;
}

export const NO_SUBJECTS: SubjectLookup = { ofWork: () => null, ofLesson: () => null };

export function toMark(raw: RawMark, classId: string, subjects: SubjectLookup): MarkRecord {
  const workId = twin(raw.work_str, raw.work);
  const lessonId = twin(raw.lesson_str, raw.lesson);
  return {
    id: twin(raw.id_str, raw.id) as string,
    classId,
    lessonId,
    workId,
    studentId: twin(raw.person_str, raw.person) as string,
    subjectId:
      twin(raw.subject_str, raw.subject) ??
      (workId ? subjects.ofWork(workId) : null) ??
      (lessonId ? subjects.ofLesson(lessonId) : null),
    value: raw.value,
    markSystem: raw.type ? raw.type.toLowerCase() : null,
    mood: raw.mood ?? null,
    date: toLocalDateTime(raw.date),
    workTypeId: raw.workType ?? null,
    countsInAverage: raw.use_avg_calc ?? true,
    number: raw.number ?? null,
    // The API tells no entry moment (capability markEntryTime: false).
    enteredAt: null,
  };
}
