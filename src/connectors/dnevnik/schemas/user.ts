import { z } from 'zod';
import { optionalId, optionalText } from './common.js';

/** `GET users/me`: who a token belongs to. */
export const userSchema = z.looseObject({
  id: optionalId,
  id_str: optionalId,
  personId: optionalId,
  personId_str: optionalId,
  name: optionalText,
  firstName: optionalText,
  middleName: optionalText,
  lastName: optionalText,
  roles: z.array(z.string()).nullish(),
});

export type RawUser = z.infer<typeof userSchema>;
