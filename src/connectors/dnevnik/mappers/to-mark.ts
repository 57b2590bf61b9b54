import type { MarkRecord } from '../../records.js';
import { toEntryMoment } from '../dates.js';
import type { RawMark } from '../schemas/mark.js';
import { markValue } from './mark-value.js';
import { twin } from '../schemas/common.js';

/** Subjects of the works and lessons of the same window, for marks that do not name their subject. */
export interface SubjectLookup {
  ofWork(workId: string): string | null;
  ofLesson(lessonId: string): string | null;
}

export const NO_SUBJECTS: SubjectLookup = { ofWork: () => null, ofLesson: () => null };

/**
 * `Mark.date` is when the mark was set, not the lesson's date (reference §7): it becomes the
 * entry moment, read in `entryZone`. The lesson dates the mark (`lessonId`).
 */
export function toMark(
  raw: RawMark,
  classId: string,
  subjects: SubjectLookup,
  entryZone: string,
): MarkRecord {
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
    value: markValue(raw),
    markSystem: raw.type ? raw.type.toLowerCase() : null,
    mood: raw.mood ?? null,
    workTypeId: raw.workType ?? null,
    countsInAverage: raw.use_avg_calc ?? true,
    number: raw.number ?? null,
    enteredAt: toEntryMoment(raw.date, entryZone),
  };
}
