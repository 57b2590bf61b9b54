import { z } from 'zod';
import { optionalId, requireOne } from './common.js';

/** A Subject of `GET schools/{id}/subjects` (and embedded in lessons). */
export const subjectSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    name: z.string(),
    /** A name in most replies; tolerated in any form, only text is kept. */
    knowledgeArea: z.unknown().optional(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

export type RawSubject = z.infer<typeof subjectSchema>;
