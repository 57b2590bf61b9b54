import type { SqlExecutor } from '../sql.js';

/**
 * A school's data version: a short string that changes whenever what the web's pages show of the
 * school can have changed, read with one statement of index lookups (no table is scanned). The
 * journal changes only through a sync, which commits scope by scope (`sync_checkpoints`) and ends
 * its run (`sync_runs`, after the derived tables are refreshed); the findings only through a check
 * run (`check_runs`) and through people's actions (`finding_actions`, append-only). Another writer
 * of these tables would have to move one of these figures too (every writer of ezh does).
 */
const COLUMNS = [
  'checks',
  'checking',
  'checked',
  'actions',
  'scoped',
  'syncs',
  'syncing',
  'synced',
  'progress',
] as const;

export async function readDataVersion(db: SqlExecutor, schoolId: string): Promise<string> {
  const [row] = await db.query(
    `SELECT
       (SELECT count(*) FROM check_runs WHERE school_id = ?) AS checks,
       (SELECT count(*) FROM check_runs WHERE school_id = ? AND finished_at IS NULL) AS checking,
       (SELECT max(finished_at) FROM check_runs WHERE school_id = ?) AS checked,
       (SELECT count(*) FROM finding_actions WHERE school_id = ?) AS actions,
       (SELECT max(completed_at) FROM sync_checkpoints WHERE school_id = ?) AS scoped,
       (SELECT count(*) FROM sync_runs WHERE school_id = ?) AS syncs,
       (SELECT count(*) FROM sync_runs WHERE school_id = ? AND finished_at IS NULL) AS syncing,
       (SELECT max(finished_at) FROM sync_runs WHERE school_id = ?) AS synced,
       (SELECT scopes_done FROM sync_runs WHERE school_id = ?
         ORDER BY started_at DESC LIMIT 1) AS progress`,
    Array(9).fill(schoolId),
  );
  // A clock that stands still (the sandbox's) leaves the instants as they were: the counts and the
  // latest run's committed scopes still move. Compared for equality within one engine only, so
  // the values need no parsing.
  return COLUMNS.map((c) => row?.[c])
    .map((v) => (v === null || v === undefined ? '-' : String(v)))
    .join('.');
}
