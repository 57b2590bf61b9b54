import { z } from 'zod';
import { optionalId, optionalText, requireOne } from './common.js';

/** A LessonLogEntry (attendance) of `GET lesson-log-entries/group/{g}?subject&from&to`. */
export const logEntrySchema = z
  .looseObject({
    person: optionalId,
    person_str: optionalId,
    lesson: optionalId,
    lesson_str: optionalId,
    /** `Attend`, `Absent`, `Ill`, `Late`, `Pass`. */
    status: z.string(),
    comment: optionalText,
    createdDate: optionalText,
  })
  .superRefine(requireOne(['person', 'person_str'], 'person'))
  .superRefine(requireOne(['lesson', 'lesson_str'], 'lesson'));

export type RawLogEntry = z.infer<typeof logEntrySchema>;
