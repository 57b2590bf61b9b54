import { z } from 'zod';
import { periodTypeOf } from '../period-types.js';
import { localDateText, numberSchema, optionalId, requireOne } from './common.js';

/** A ReportingPeriod of `GET edu-groups/{g}/reporting-periods`. */
export const reportingPeriodSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    start: localDateText,
    finish: localDateText,
    number: numberSchema,
    /** `Quarter`, `HalfYear`, `Semester`, `Trimester`, `Module`, `Year`. */
    type: z.string().refine((t) => periodTypeOf(t) !== null, 'unknown reporting period type'),
    name: z.string(),
    year: numberSchema.nullish(),
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

export type RawReportingPeriod = z.infer<typeof reportingPeriodSchema>;
