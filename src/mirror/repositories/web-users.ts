import type { SqlExecutor } from '../sql.js';
import { isStringArray, parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * The web site's local accounts (`web_users`, migration 0023): every statement on the table, rows
 * parsed at the edge. Hashes are made and checked by the web door (Argon2id); this file stores text.
 */

export interface WebUserRecord {
  login: string;
  displayName: string;
  passwordHash: string;
  roles: string[];
  personId: string | null;
  disabled: boolean;
  /** Sessions issued before this instant (epoch ms) are void. */
  sessionsAfter: number;
  createdAt: number;
  updatedAt: number;
}

const TABLE = 'web_users';

const record = (r: RowReader): WebUserRecord => ({
  login: r.text('login'),
  displayName: r.text('display_name'),
  passwordHash: r.text('password_hash'),
  roles: r.json('roles', 'a list of roles', isStringArray),
  personId: r.textOrNull('person_id'),
  disabled: r.int('disabled') !== 0,
  sessionsAfter: r.int('sessions_after'),
  createdAt: r.int('created_at'),
  updatedAt: r.int('updated_at'),
});

export async function getUser(db: SqlExecutor, login: string): Promise<WebUserRecord | null> {
  const rows = await db.query(`SELECT * FROM web_users WHERE login = ?`, [login]);
  return parseFirst(TABLE, rows, record);
}

export async function listUsers(db: SqlExecutor): Promise<WebUserRecord[]> {
  return parseRows(TABLE, await db.query(`SELECT * FROM web_users ORDER BY login`), record);
}

export async function insertUser(
  db: SqlExecutor,
  u: Omit<WebUserRecord, 'createdAt' | 'updatedAt' | 'sessionsAfter' | 'disabled'>,
  at: number,
): Promise<void> {
  await db.run(
    `INSERT INTO web_users (login, display_name, password_hash, roles, person_id, disabled,
       sessions_after, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    [u.login, u.displayName, u.passwordHash, JSON.stringify(u.roles), u.personId, at, at, at],
  );
}

/** A new password; the account's earlier sessions end. */
export async function setPassword(
  db: SqlExecutor,
  login: string,
  hash: string,
  at: number,
): Promise<boolean> {
  const { changes } = await db.run(
    `UPDATE web_users SET password_hash = ?, sessions_after = ?, updated_at = ? WHERE login = ?`,
    [hash, at, at, login],
  );
  return changes > 0;
}

/** Disables (or enables) the account; disabling ends its sessions. */
export async function setDisabled(
  db: SqlExecutor,
  login: string,
  disabled: boolean,
  at: number,
): Promise<boolean> {
  const { changes } = disabled
    ? await db.run(
        `UPDATE web_users SET disabled = 1, sessions_after = ?, updated_at = ? WHERE login = ?`,
        [at, at, login],
      )
    : await db.run(`UPDATE web_users SET disabled = 0, updated_at = ? WHERE login = ?`, [
        at,
        login,
      ]);
  return changes > 0;
}
