import type { LessonRecord } from '../../records.js';
import { toLocalDate, toStartTime } from '../dates.js';
import type { RawLesson } from '../schemas/lesson.js';
import { twin } from '../schemas/common.js';

export function lessonSubjectId(raw: RawLesson): string {
  return (raw.subject?.id_str ?? raw.subject?.id ?? raw.subjectId) as string;
}

/**
 * A class's lessons include its subgroups' lessons, each naming the subgroup in `group`
 * (reference §7): the lesson stays the class's (`classId`, the class being read, whichever fetch
 * saw it) and names its subgroup in `groupId`.
 */
export function toLesson(raw: RawLesson, classId: string): LessonRecord {
  const group = twin(raw.group_str, raw.group);
  return {
    id: twin(raw.id_str, raw.id) as string,
    classId,
    groupId: group !== null && group !== classId ? group : null,
    subjectId: lessonSubjectId(raw),
    date: toLocalDate(raw.date) as string,
    startsAt: toStartTime(raw.date),
    number: raw.number ?? null,
    topic: raw.title ?? null,
    status: raw.status ?? null,
    teacherIds: raw.teachers_str ?? raw.teachers ?? [],
  };
}
