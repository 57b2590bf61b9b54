import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../sql.js';
import { parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * The web site's audit trail (`web_audit`, migration 0023): logins, failed logins, logouts and
 * finding actions with who, when and from which address. Appended, never rewritten.
 */

export const WEB_AUDIT_KINDS = [
  'login',
  'login_failed',
  'logout',
  'finding_action',
  'action',
] as const;
export type WebAuditKind = (typeof WEB_AUDIT_KINDS)[number];

export interface WebAuditRecord {
  id: string;
  at: number;
  kind: WebAuditKind;
  actor: string;
  ip: string | null;
  detail: string | null;
}

const TABLE = 'web_audit';

const record = (r: RowReader): WebAuditRecord => ({
  id: r.text('id'),
  at: r.int('at'),
  kind: r.oneOf('kind', WEB_AUDIT_KINDS),
  actor: r.text('actor'),
  ip: r.textOrNull('ip'),
  detail: r.textOrNull('detail'),
});

export async function appendAudit(
  db: SqlExecutor,
  entry: Omit<WebAuditRecord, 'id'>,
): Promise<void> {
  await db.run(
    `INSERT INTO web_audit (id, at, kind, actor, ip, detail) VALUES (?, ?, ?, ?, ?, ?)`,
    [randomUUID(), entry.at, entry.kind, entry.actor, entry.ip, entry.detail],
  );
}

export async function recentAudit(db: SqlExecutor, limit: number): Promise<WebAuditRecord[]> {
  return parseRows(
    TABLE,
    await db.query(`SELECT * FROM web_audit ORDER BY at DESC, id LIMIT ?`, [limit]),
    record,
  );
}

/**
 * Whether the session `sid` of `actor` (logged in at `since`) was logged out: the cookie lives in
 * the browser, so a copy of it taken before the logout would otherwise stay logged in.
 */
export async function loggedOut(
  db: SqlExecutor,
  actor: string,
  sid: string,
  since: number,
): Promise<boolean> {
  const rows = await db.query(
    `SELECT count(*) AS n FROM web_audit
      WHERE actor = ? AND at >= ? AND kind = 'logout' AND detail = ?`,
    [actor, since, logoutDetail(sid)],
  );
  return (parseFirst(TABLE, rows, (r) => r.intOrZero('n')) ?? 0) > 0;
}

/** The audit detail of a logout: which session ended. */
export function logoutDetail(sid: string): string {
  return `session ${sid}`;
}

/**
 * Failed logins of `actor` since its last successful login and not before `since`: the per-login
 * throttle reads this, so every process of a site counts the same failures. Attempts refused
 * because the login was locked do not count (the lock ends `lockMinutes` after the last real try).
 */
export async function failuresSinceLastLogin(
  db: SqlExecutor,
  actor: string,
  since: number,
): Promise<number> {
  const rows = await db.query(
    `SELECT count(*) AS n FROM web_audit
      WHERE actor = ? AND kind = 'login_failed' AND at >= ? AND coalesce(detail, '') <> 'locked'
        AND at > coalesce((SELECT max(at) FROM web_audit WHERE actor = ? AND kind = 'login'), 0)`,
    [actor, since, actor],
  );
  return parseFirst(TABLE, rows, (r) => r.intOrZero('n')) ?? 0;
}
