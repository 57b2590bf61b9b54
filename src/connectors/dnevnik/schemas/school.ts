import { z } from 'zod';
import { numberSchema, optionalId, optionalText, requireOne } from './common.js';

/** `GET schools/{id}`. */
export const schoolSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    name: z.string(),
    fullName: optionalText,
    city: optionalText,
    municipality: optionalText,
    /** Hours from UTC. */
    timeZone: numberSchema.nullish(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

export type RawSchool = z.infer<typeof schoolSchema>;
