import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Config } from '../config/schema.js';
import * as personRoles from '../mirror/repositories/person-roles.js';
import * as audit from '../mirror/repositories/web-audit.js';
import * as users from '../mirror/repositories/web-users.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { UsageError } from '../platform/errors.js';

/**
 * The web site's accounts, for every door that manages or checks them (`ezh users`, the login
 * form, the OAuth callback): local accounts with Argon2id hashes, the audit trail, the per-login
 * throttle, and what the mirror and the config say a person may see. No SQL here: the
 * repositories hold it.
 */

export const ACCOUNT_ROLES = ['admin', 'classTeacher', 'subjectTeacher', 'ict'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const MIN_PASSWORD_LENGTH = 10;
const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export type WebUser = users.WebUserRecord;
export type AuditEntry = audit.WebAuditRecord;

/** Argon2id with the library's defaults (OWASP's: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

export interface NewUser {
  login: string;
  displayName: string;
  password: string;
  roles: AccountRole[];
  personId: string | null;
}

export async function addUser(db: SqlExecutor, u: NewUser, now: number): Promise<void> {
  if (!LOGIN_PATTERN.test(u.login)) {
    throw new UsageError(
      `invalid login "${u.login}": 2-64 characters, lower-case latin letters, digits, . _ -`,
    );
  }
  if (!u.displayName.trim()) throw new UsageError('the display name is empty');
  checkPassword(u.password);
  if (await users.getUser(db, u.login)) throw new UsageError(`user "${u.login}" already exists`);
  await users.insertUser(
    db,
    {
      login: u.login,
      displayName: u.displayName.trim(),
      passwordHash: await hashPassword(u.password),
      roles: u.roles,
      personId: u.personId,
    },
    now,
  );
}

export async function changePassword(
  db: SqlExecutor,
  login: string,
  password: string,
  now: number,
): Promise<void> {
  checkPassword(password);
  if (!(await users.setPassword(db, login, await hashPassword(password), now))) {
    throw new UsageError(`no user "${login}"`);
  }
}

export async function setUserDisabled(
  db: SqlExecutor,
  login: string,
  disabled: boolean,
  now: number,
): Promise<void> {
  if (!(await users.setDisabled(db, login, disabled, now))) {
    throw new UsageError(`no user "${login}"`);
  }
}

export const listUsers = (db: SqlExecutor): Promise<WebUser[]> => users.listUsers(db);
export const getUser = (db: SqlExecutor, login: string): Promise<WebUser | null> =>
  users.getUser(db, login);

export type PasswordCheck = (
  { ok: true; user: WebUser } | { ok: false; reason: 'bad' | 'locked' | 'disabled' }
) & {
  /**
   * Who the attempt is recorded as: `local:<login>` for an account, else `unknown:<digest>`. A
   * password typed into the login field by mistake is not an account, so it is kept only as a
   * digest (the audit trail is shown on the ICT pages), which still counts repeated attempts.
   */
  actor: string;
};

/** The audit actor of a login attempt (see `PasswordCheck.actor`). */
function attemptActor(login: string, exists: boolean): string {
  if (exists) return `local:${login}`;
  return `unknown:${createHash('sha256').update(login).digest('hex').slice(0, 16)}`;
}

/**
 * The login form's check. After `maxFailures` failed passwords in a row within `lockMinutes` the
 * login is locked for that long (counted in the audit table, so every process agrees); a locked
 * or disabled account is refused before its password is checked. Unknown logins still cost one
 * Argon2 verification, so timing does not tell which logins exist.
 */
export async function checkPasswordLogin(
  db: SqlExecutor,
  config: Config,
  login: string,
  password: string,
  now: number,
): Promise<PasswordCheck> {
  const { maxFailures, lockMinutes } = config.web.login;
  const user = await users.getUser(db, login);
  const actor = attemptActor(login, user !== null);
  const failures = await audit.failuresSinceLastLogin(db, actor, now - lockMinutes * 60_000);
  if (failures >= maxFailures) return { ok: false, reason: 'locked', actor };
  const good = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
  if (!user || !good) return { ok: false, reason: 'bad', actor };
  if (user.disabled) return { ok: false, reason: 'disabled', actor };
  return { ok: true, user, actor };
}

/** A hash of a random password, verified against when the login does not exist. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$yKQ/Bq+pzqC3QCZn44OmFA$aqIKOXHH2U1Te2zfOk5FIWxDvvp+kmZ0+nLKJ8ADxek';

export function recordAudit(db: SqlExecutor, entry: Omit<AuditEntry, 'id'>): Promise<void> {
  return audit.appendAudit(db, entry);
}

/** Whether the web session `sid` of `acct`, logged in at `iat`, has been logged out. */
export const sessionLoggedOut = (
  db: SqlExecutor,
  acct: string,
  sid: string,
  iat: number,
): Promise<boolean> => audit.loggedOut(db, acct, sid, iat);

export const logoutDetail = audit.logoutDetail;

export const recentAudit = (db: SqlExecutor, limit: number): Promise<AuditEntry[]> =>
  audit.recentAudit(db, limit);

/** What the mirror and the config make of an account: its roles, schools and classes. */
export interface Standing {
  roles: Set<AccountRole>;
  schoolIds: string[];
  classIds: string[];
  /** The person's name in the mirror, if they are there. */
  fullName: string | null;
}

/**
 * Roles of an account: admin and ict from the config (its login or person id listed), the
 * account's own roles (local accounts), classTeacher from the mirror's class-teacher assignments,
 * subjectTeacher when the person is a lesson's teacher in the mirror.
 */
export async function standingOf(
  db: SqlExecutor,
  config: Config,
  account: { login: string | null; personId: string | null; ownRoles: readonly string[] },
): Promise<Standing> {
  const roles = new Set<AccountRole>(
    account.ownRoles.filter((r): r is AccountRole =>
      (ACCOUNT_ROLES as readonly string[]).includes(r),
    ),
  );
  const listed = (list: readonly string[]) =>
    (account.login !== null && list.includes(account.login)) ||
    (account.personId !== null && list.includes(account.personId));
  if (listed(config.web.admins)) roles.add('admin');
  if (listed(config.web.ict)) roles.add('ict');
  const schools = new Set<string>();
  const classIds: string[] = [];
  let fullName: string | null = null;
  if (account.personId !== null) {
    const records = await personRoles.personRecords(db, account.personId);
    fullName = records[0]?.fullName ?? null;
    for (const r of records) schools.add(r.schoolId);
    for (const c of await personRoles.classTeacherOf(db, account.personId)) {
      roles.add('classTeacher');
      classIds.push(c.classId);
      schools.add(c.schoolId);
    }
    const teaching = await personRoles.schoolsWhereTeaching(db, account.personId);
    if (teaching.length > 0) roles.add('subjectTeacher');
    for (const s of teaching) schools.add(s);
  }
  // Administration and the ICT engineer work for every configured school.
  if (roles.has('admin') || roles.has('ict')) for (const s of config.schools) schools.add(s.id);
  return { roles, schoolIds: [...schools].sort(), classIds, fullName };
}

export const sampleTeachers = personRoles.sampleTeachers;
