import type { DnevnikClient } from '../client.js';
import { describeIssues } from '../fetch-sink.js';
import { twin } from '../schemas/common.js';
import { userSchema } from '../schemas/user.js';
import type { TokenOwner } from '../../define-connector.js';
import { paths } from './paths.js';

export type { TokenOwner };

export async function fetchMe(client: DnevnikClient): Promise<TokenOwner> {
  const reply = await client.get(paths.me());
  const parsed = userSchema.safeParse(reply);
  if (!parsed.success) {
    throw new Error(`users/me: unexpected reply (${describeIssues(parsed.error.issues)})`);
  }
  const u = parsed.data;
  const name =
    u.name ?? ([u.lastName, u.firstName, u.middleName].filter(Boolean).join(' ') || 'unnamed user');
  return {
    userId: twin(u.id_str, u.id),
    personId: twin(u.personId_str, u.personId),
    name,
    roles: u.roles ?? [],
  };
}
