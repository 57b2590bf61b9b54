import { z } from 'zod';
import { optionalId, optionalText, requireOne } from './common.js';

/** A SchoolTeacher of `GET schools/{id}/teachers`: PascalCase fields, `IdStr` as the exact id. */
export const schoolTeacherSchema = z
  .looseObject({
    Id: optionalId,
    IdStr: optionalId,
    UserId: optionalId,
    UserIdStr: optionalId,
    FirstName: z.string(),
    LastName: z.string(),
    MiddleName: optionalText,
    Sex: optionalText,
    DateBirth: optionalText,
    Email: optionalText,
  })
  .superRefine(requireOne(['Id', 'IdStr'], 'Id'));

export type RawSchoolTeacher = z.infer<typeof schoolTeacherSchema>;
