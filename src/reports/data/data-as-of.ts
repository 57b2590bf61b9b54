import type { SqlExecutor } from '../../mirror/sql.js';

/**
 * «Данные на»: when the mirror last finished a sync of the school (a run that succeeded or was
 * held), epoch ms; null when none did. A document made from the mirror is as fresh as that.
 */
export async function dataAsOf(db: SqlExecutor, schoolId: string): Promise<number | null> {
  const rows = await db.query<{ at: number | string | null }>(
    `SELECT max(finished_at) AS at FROM sync_runs WHERE school_id = ? AND status IN ('succeeded', 'held')`,
    [schoolId],
  );
  const at = rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}
