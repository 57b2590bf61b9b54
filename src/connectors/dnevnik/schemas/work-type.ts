import { z } from 'zod';
import { numberSchema, optionalId, optionalText, requireOne } from './common.js';

/**
 * A WorkType in either of its shapes: `work-types/{school}` (`title`, `abbr`, `weight`) or as
 * embedded in final-mark replies (`name`, `abbreviation`, `isFinal`).
 */
export const workTypeSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    schoolId: optionalId,
    kind: optionalText,
    title: optionalText,
    name: optionalText,
    abbr: optionalText,
    abbreviation: optionalText,
    weight: numberSchema.nullish(),
    isFinal: z.boolean().nullish(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'))
  .superRefine(requireOne(['title', 'name'], 'title'));

export type RawWorkType = z.infer<typeof workTypeSchema>;
