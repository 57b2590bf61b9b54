import { z } from 'zod';
import { isLocalDateText } from '../dates.js';

/**
 * Building blocks of the raw-reply schemas. Replies are parsed losslessly: an id arrives as a
 * number when it is below 2^53 and as a decimal string otherwise, so id fields accept both and
 * always yield a string. Objects are loose: the platform adds fields without notice.
 */
export const idSchema = z
  .union([z.string().regex(/^-?\d+$/, 'must be a numeric id'), z.number().int()])
  .transform((v) => String(v));

export const optionalId = idSchema.nullish();

/** Small numbers (weights, lesson numbers, hours of a time zone), also when sent as text. */
export const numberSchema = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number')
    .transform(Number),
]);

export const optionalText = z.string().nullish();

/** A date or date-time the mappers can read as school-local. */
export const localDateText = z.string().refine(isLocalDateText, 'must be an ISO date or date-time');

export const idList = z.array(idSchema).nullish();

/** The `*_str` twin when present, else the plain id: the twin is the exact one (reference §3). */
export function twin(
  str: string | null | undefined,
  plain: string | null | undefined,
): string | null {
  return str ?? plain ?? null;
}

/** A refinement for objects whose id may come in either field of a pair, but must come. */
export function requireOne<T extends Record<string, unknown>>(
  fields: readonly (keyof T & string)[],
  path: string,
): (value: T, ctx: z.core.$RefinementCtx<T>) => void {
  return (value, ctx) => {
    if (fields.every((f) => value[f] === null || value[f] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message: `is required (none of ${fields.join(', ')} is present)`,
      });
    }
  };
}
