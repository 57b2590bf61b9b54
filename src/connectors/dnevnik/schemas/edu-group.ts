import { z } from 'zod';
import { idList, numberSchema, optionalId, optionalText, requireOne } from './common.js';

/** An EduGroup of `GET schools/{id}/edu-groups`: a class (`Group`) or a subgroup. */
export const eduGroupSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    parentIds: idList,
    parentIds_str: idList,
    type: optionalText,
    name: z.string(),
    fullName: optionalText,
    parallel: numberSchema.nullish(),
    status: optionalText,
    studyyear: numberSchema.nullish(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

export type RawEduGroup = z.infer<typeof eduGroupSchema>;
