import { chunk, placeholders, type SqlDb, type SqlExecutor } from '../sql.js';
import { bumpDataVersion } from './data-version.js';
import { parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * What people did about findings (`finding_actions`, one row per action, never rewritten): every
 * statement on the table, rows parsed at the edge. What the actions mean is described in
 * src/checks/finding-actions.ts.
 */

export const FINDING_ACTIONS = ['acknowledge', 'waive', 'reopen'] as const;
export type FindingAction = (typeof FINDING_ACTIONS)[number];

export interface FindingActionRecord {
  findingKey: string;
  seq: number;
  schoolId: string;
  action: FindingAction;
  reason: string | null;
  actor: string;
  at: number;
}

const TABLE = 'finding_actions';

const record = (r: RowReader): FindingActionRecord => ({
  findingKey: r.text('finding_key'),
  seq: r.int('seq'),
  schoolId: r.text('school_id'),
  action: r.oneOf('action', FINDING_ACTIONS),
  reason: r.textOrNull('reason'),
  actor: r.text('actor'),
  at: r.int('at'),
});

/** Appends one action per finding (numbered after its last one), in one transaction. */
export async function appendActions(
  db: SqlDb,
  actions: readonly Omit<FindingActionRecord, 'seq'>[],
): Promise<FindingActionRecord[]> {
  return db.transaction(async (tx) => {
    const out: FindingActionRecord[] = [];
    for (const a of actions) {
      const rows = await tx.query(
        `SELECT max(seq) AS n FROM finding_actions WHERE finding_key = ?`,
        [a.findingKey],
      );
      const seq = (parseFirst(TABLE, rows, (r) => r.intOrNull('n')) ?? 0) + 1;
      await tx.run(
        `INSERT INTO finding_actions (finding_key, seq, school_id, action, reason, actor, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [a.findingKey, seq, a.schoolId, a.action, a.reason, a.actor, a.at],
      );
      await bumpDataVersion(tx, a.schoolId);
      out.push({ ...a, seq });
    }
    return out;
  });
}

/** The latest action of each of these findings (absent: nobody acted), at or before `until`. */
export async function latestActions(
  db: SqlExecutor,
  keys: readonly string[],
  until: number,
): Promise<Map<string, FindingActionRecord>> {
  const out = new Map<string, FindingActionRecord>();
  for (const part of chunk([...new Set(keys)], 400)) {
    const rows = await db.query(
      `SELECT a.* FROM finding_actions a
        WHERE a.finding_key IN (${placeholders(part.length)}) AND a.at <= ?
          AND a.seq = (SELECT max(b.seq) FROM finding_actions b
                        WHERE b.finding_key = a.finding_key AND b.at <= ?)`,
      [...part, until, until],
    );
    for (const r of parseRows(TABLE, rows, record)) out.set(r.findingKey, r);
  }
  return out;
}

/** Keys of a school's findings whose latest action waived them. */
export async function waivedKeys(db: SqlExecutor, schoolId: string): Promise<Set<string>> {
  const rows = await db.query(
    `SELECT a.finding_key FROM finding_actions a
      WHERE a.school_id = ? AND a.action = 'waive'
        AND a.seq = (SELECT max(b.seq) FROM finding_actions b WHERE b.finding_key = a.finding_key)`,
    [schoolId],
  );
  return new Set(parseRows(TABLE, rows, (r) => r.text('finding_key')));
}

/** Every action on a finding, oldest first. */
export async function actionsOf(db: SqlExecutor, key: string): Promise<FindingActionRecord[]> {
  const rows = await db.query(`SELECT * FROM finding_actions WHERE finding_key = ? ORDER BY seq`, [
    key,
  ]);
  return parseRows(TABLE, rows, record);
}
