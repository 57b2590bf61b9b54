import { z } from 'zod';
import {
  idList,
  localDateText,
  numberSchema,
  optionalId,
  optionalText,
  requireOne,
} from './common.js';

const embeddedSubject = z.looseObject({ id: optionalId, id_str: optionalId, name: optionalText });

/**
 * A Lesson of `GET edu-groups/{g}/lessons/{from}/{to}`. Its `works` are validated one by one
 * (see `workSchema`), so one malformed work does not cost the lesson.
 */
export const lessonSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    /** The lesson topic. */
    title: optionalText,
    date: localDateText,
    number: numberSchema.nullish(),
    subject: embeddedSubject.nullish(),
    subjectId: optionalId,
    group: optionalId,
    group_str: optionalId,
    status: optionalText,
    works: z.array(z.unknown()).nullish(),
    teachers: idList,
    teachers_str: idList,
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'))
  .superRefine((lesson, ctx) => {
    const subject = lesson.subject?.id_str ?? lesson.subject?.id ?? lesson.subjectId;
    if (subject === null || subject === undefined) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required (no subject id)' });
    }
  });

export type RawLesson = z.infer<typeof lessonSchema>;
