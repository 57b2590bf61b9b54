import type { WorkRecord } from '../../records.js';
import { toLocalDateTime } from '../dates.js';
import type { RawWork } from '../schemas/work.js';
import { twin } from '../schemas/common.js';

/** Where a work sits when the work itself does not say (embedded in a lesson, or in a class reply). */
export interface WorkContext {
  classId: string;
  lessonId: string | null;
  subjectId: string | null;
}

export function toWork(raw: RawWork, ctx: WorkContext): WorkRecord {
  return {
    id: twin(raw.id_str, raw.id) as string,
    lessonId: twin(raw.lesson_str, raw.lesson) ?? ctx.lessonId,
    // The class read, not `eduGroup`: a subgroup lesson's work names the subgroup there, and a
    // work belongs to the class as its lesson does (stable whatever fetch saw it).
    classId: ctx.classId,
    subjectId: twin(raw.subjectId_str, raw.subjectId) ?? ctx.subjectId,
    type: raw.type,
    workTypeId: raw.workType ?? null,
    text: raw.text ?? null,
    targetDate: toLocalDateTime(raw.targetDate),
    sentDate: toLocalDateTime(raw.sentDate),
    createdBy: raw.createdBy ?? null,
    periodNumber: raw.periodNumber ?? null,
    periodType: raw.periodType ?? null,
    displayInJournal: raw.displayInJournal ?? true,
  };
}
