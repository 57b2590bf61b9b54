import { z } from 'zod';
import { optionalId, requireOne } from './common.js';

/**
 * `GET edu-groups/{g}/final-marks` comes in two shapes (reference §2.2 row 50):
 * - per student (J, T): `[{person, group, reportingPeriod, "per-subject-final-marks": [{subject, "final-mark": Mark}]}]`;
 * - bundled (M): `{marks[], works[], subjects[], workTypes[]}`, the period of a mark told by its work.
 * Only the envelopes are checked here; marks and works are validated one by one.
 */
export const perStudentFinalMarksSchema = z
  .looseObject({
    person: optionalId,
    person_str: optionalId,
    group: optionalId,
    group_str: optionalId,
    reportingPeriod: optionalId,
    reportingPeriod_str: optionalId,
    'per-subject-final-marks': z.array(z.unknown()),
  })
  .superRefine(requireOne(['person', 'person_str'], 'person'));

export const subjectFinalMarkSchema = z
  .looseObject({
    subject: optionalId,
    subject_str: optionalId,
    'final-mark': z.unknown(),
  })
  .superRefine(requireOne(['subject', 'subject_str'], 'subject'));

export const bundledFinalMarksSchema = z.looseObject({
  marks: z.array(z.unknown()),
  works: z.array(z.unknown()).nullish(),
  subjects: z.array(z.unknown()).nullish(),
  workTypes: z.array(z.unknown()).nullish(),
});

export type RawPerStudentFinalMarks = z.infer<typeof perStudentFinalMarksSchema>;
export type RawSubjectFinalMark = z.infer<typeof subjectFinalMarkSchema>;
