import { z } from 'zod';
import { optionalId, optionalText, requireOne } from './common.js';

/**
 * A Person of `GET edu-groups/{g}/persons` and `GET edu-groups/{g}/classteacher`. Some platform
 * variants tell a member's status (`membershipstatus`: `Active` | `Archive`); most do not.
 */
export const personSchema = z
  .looseObject({
    id: optionalId,
    id_str: optionalId,
    userId: optionalId,
    userId_str: optionalId,
    firstName: z.string(),
    lastName: z.string(),
    middleName: optionalText,
    shortName: optionalText,
    sex: optionalText,
    birthday: optionalText,
    membershipstatus: optionalText,
    membershipStatus: optionalText,
  })
  .superRefine(requireOne(['id', 'id_str'], 'id'));

export type RawPerson = z.infer<typeof personSchema>;
