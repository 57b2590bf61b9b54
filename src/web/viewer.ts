import type { AppContext } from '../app/context.js';
import { getUser, sessionLoggedOut, standingOf } from '../app/accounts-service.js';
import type { Viewer } from './page.js';
import type { LoggedIn } from './session.js';

/**
 * The viewer of a request, from its session's account: a local account's row (gone, disabled or
 * its sessions voided since the login: nobody), then the roles the config and the mirror give
 * (accounts-service). Resolved on every request, so a class-teacher assignment changed on the
 * platform, or an account disabled, counts from the next sync or the next click.
 */
export async function resolveViewer(app: AppContext, login: LoggedIn): Promise<Viewer | null> {
  const db = (await app.mirror()).db;
  if (await sessionLoggedOut(db, login.acct, login.sid, login.iat)) return null;
  const [kind, id] = splitAccount(login.acct);
  if (kind === 'local') {
    const user = await getUser(db, id);
    if (!user || user.disabled || user.sessionsAfter > login.iat) return null;
    const standing = await standingOf(db, app.config, {
      login: user.login,
      personId: user.personId,
      ownRoles: user.roles,
    });
    return {
      accountId: login.acct,
      displayName: user.displayName,
      personId: user.personId,
      roles: standing.roles,
      schoolIds: standing.schoolIds,
      classIds: standing.classIds,
    };
  }
  const standing = await standingOf(db, app.config, { login: null, personId: id, ownRoles: [] });
  if (standing.roles.size === 0) return null;
  return {
    accountId: login.acct,
    displayName: standing.fullName ?? `Пользователь ${id}`,
    personId: id,
    roles: standing.roles,
    schoolIds: standing.schoolIds,
    classIds: standing.classIds,
  };
}

export function splitAccount(acct: string): ['local' | 'platform', string] {
  const i = acct.indexOf(':');
  const kind = acct.slice(0, i);
  return [kind === 'platform' ? 'platform' : 'local', acct.slice(i + 1)];
}
