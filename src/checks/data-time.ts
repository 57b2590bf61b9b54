import type { SqlExecutor } from '../mirror/sql.js';

/**
 * The moment the mirror last looked at a school: when its last successful sync finished. Checks
 * without an explicit `--as-of` are evaluated as of this moment, not as of the wall clock: a
 * deadline that passed after the last sync says nothing about the journal, only about the mirror,
 * and would turn into findings that a teacher may already have fixed. A `held` run read every
 * scope (it only kept rows it was not sure were deleted). Null: never synced.
 */
export async function lastSyncedAt(db: SqlExecutor, schoolId: string): Promise<number | null> {
  const rows = await db.query<{ t: number | null }>(
    `SELECT max(finished_at) AS t FROM sync_runs WHERE school_id = ? AND status IN ('succeeded', 'held')`,
    [schoolId],
  );
  const t = rows[0]?.t;
  return t === null || t === undefined ? null : Number(t);
}
