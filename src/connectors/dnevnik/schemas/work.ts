import { z } from 'zod';
import { numberSchema, optionalId, optionalText, requireOne } from './common.js';

/** A Work: embedded in lessons, or listed in final-mark replies. Homework is `type: "Homework"`. */
export const workSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    type: z.string(),
    workType: optionalId,
    lesson: optionalId,
    lesson_str: optionalId,
    eduGroup: optionalId,
    eduGroup_str: optionalId,
    subjectId: optionalId,
    subjectId_str: optionalId,
    text: optionalText,
    targetDate: optionalText,
    sentDate: optionalText,
    createdBy: optionalId,
    periodNumber: numberSchema.nullish(),
    periodType: optionalText,
    displayInJournal: z.boolean().nullish(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

export type RawWork = z.infer<typeof workSchema>;
