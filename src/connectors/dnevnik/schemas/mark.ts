import { z } from 'zod';
import { numberSchema, optionalId, optionalText, requireOne } from './common.js';

/** A Mark as embedded in final-mark replies, where the student may be told by the envelope. */
export const markBodySchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    /** Mark system: `mark5`, `markna`, ... */
    type: optionalText,
    value: z.union([z.string(), z.number()]).transform((v) => String(v)),
    /** The mark as the journal shows it («4-», «н/а», «зач»); may differ from `value`. */
    textValue: z
      .union([z.string(), z.number()])
      .nullish()
      .transform((v) => (v === null || v === undefined ? null : String(v))),
    person: optionalId,
    person_str: optionalId,
    work: optionalId,
    work_str: optionalId,
    lesson: optionalId,
    lesson_str: optionalId,
    subject: optionalId,
    subject_str: optionalId,
    number: numberSchema.nullish(),
    date: optionalText,
    workType: optionalId,
    mood: optionalText,
    use_avg_calc: z.boolean().nullish(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

/** A Mark of `GET edu-groups/{g}/marks/{from}/{to}`: it must name its student. */
export const markSchema = markBodySchema.superRefine(
  requireOne(['person', 'person_str'], 'person'),
);

export type RawMark = z.infer<typeof markSchema>;
