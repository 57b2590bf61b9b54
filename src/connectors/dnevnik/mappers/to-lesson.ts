import type { LessonRecord } from '../../records.js';
import { toLocalDate, toStartTime } from '../dates.js';
import type { RawLesson } from '../schemas/lesson.js';
import { twin } from '../schemas/common.js';

export function lessonSubjectId(raw: RawLesson): string {
  return (raw.subject?.id_str ?? raw.subject?.id ?? raw.subjectId) as string;
}

export function toLesson(raw: RawLesson, classId: string): LessonRecord {
  return {
    id: twin(raw.id_str, raw.id) as string,
    classId: twin(raw.group_str, raw.group) ?? classId,
    subjectId: lessonSubjectId(raw),
    date: toLocalDate(raw.date) as string,
    startsAt: toStartTime(raw.date),
    number: raw.number ?? null,
    topic: raw.title ?? null,
    status: raw.status ?? null,
    teacherIds: raw.teachers_str ?? raw.teachers ?? [],
  };
}
