import { chunk, placeholders, type SqlDb, type SqlExecutor } from '../mirror/sql.js';

/**
 * What people did about a finding, kept in `finding_actions` (one row per action, never
 * rewritten). A finding's state is its latest action: acknowledged (seen, being dealt with; still
 * alerted), waived (will not be fixed, for a reason: an individual plan, a platform outage, a
 * substitution the platform records under another teacher; no longer alerted, shown in the
 * справка as «снято»), or open again after a reopen. Independent of the checks' own
 * opened/resolved history (`finding_events`): a waived finding the journal later fixes is resolved
 * as any other.
 */

export const FINDING_ACTIONS = ['acknowledge', 'waive', 'reopen'] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

/** The state people gave a finding: `open` when nobody acted or the last action reopened it. */
export type FindingState = 'open' | 'acknowledged' | 'waived';

export interface FindingActionRecord {
  findingKey: string;
  seq: number;
  schoolId: string;
  action: FindingAction;
  reason: string | null;
  actor: string;
  at: number;
}

export function stateAfter(action: FindingAction | null): FindingState {
  if (action === 'acknowledge') return 'acknowledged';
  if (action === 'waive') return 'waived';
  return 'open';
}

interface ActionRow extends Record<string, unknown> {
  finding_key: string;
  seq: number | string;
  school_id: string;
  action: string;
  reason: string | null;
  actor: string;
  at: number | string;
}

const toRecord = (r: ActionRow): FindingActionRecord => ({
  findingKey: r.finding_key,
  seq: Number(r.seq),
  schoolId: r.school_id,
  action: r.action as FindingAction,
  reason: r.reason,
  actor: r.actor,
  at: Number(r.at),
});

/** Appends one action per finding, in one transaction; returns the rows written. */
export async function recordFindingActions(
  db: SqlDb,
  actions: readonly Omit<FindingActionRecord, 'seq'>[],
): Promise<FindingActionRecord[]> {
  return db.transaction(async (tx) => {
    const out: FindingActionRecord[] = [];
    for (const a of actions) {
      const rows = await tx.query<{ n: number | string | null }>(
        `SELECT max(seq) AS n FROM finding_actions WHERE finding_key = ?`,
        [a.findingKey],
      );
      const seq = Number(rows[0]?.n ?? 0) + 1;
      await tx.run(
        `INSERT INTO finding_actions (finding_key, seq, school_id, action, reason, actor, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [a.findingKey, seq, a.schoolId, a.action, a.reason, a.actor, a.at],
      );
      out.push({ ...a, seq });
    }
    return out;
  });
}

/** The latest action of each of these findings (absent: nobody acted), at or before `until`. */
export async function latestFindingActions(
  db: SqlExecutor,
  keys: readonly string[],
  until: number = Number.MAX_SAFE_INTEGER,
): Promise<Map<string, FindingActionRecord>> {
  const out = new Map<string, FindingActionRecord>();
  for (const part of chunk([...new Set(keys)], 400)) {
    const rows = await db.query<ActionRow>(
      `SELECT a.* FROM finding_actions a
        WHERE a.finding_key IN (${placeholders(part.length)}) AND a.at <= ?
          AND a.seq = (SELECT max(b.seq) FROM finding_actions b
                        WHERE b.finding_key = a.finding_key AND b.at <= ?)`,
      [...part, until, until],
    );
    for (const r of rows) out.set(r.finding_key, toRecord(r));
  }
  return out;
}

/** Keys of a school's findings whose latest action waived them: not alerted. */
export async function waivedFindingKeys(db: SqlExecutor, schoolId: string): Promise<Set<string>> {
  const rows = await db.query<{ finding_key: string }>(
    `SELECT a.finding_key FROM finding_actions a
      WHERE a.school_id = ? AND a.action = 'waive'
        AND a.seq = (SELECT max(b.seq) FROM finding_actions b WHERE b.finding_key = a.finding_key)`,
    [schoolId],
  );
  return new Set(rows.map((r) => r.finding_key));
}

/** Every action on a finding, oldest first. */
export async function findingHistory(db: SqlExecutor, key: string): Promise<FindingActionRecord[]> {
  const rows = await db.query<ActionRow>(
    `SELECT * FROM finding_actions WHERE finding_key = ? ORDER BY seq`,
    [key],
  );
  return rows.map(toRecord);
}
