import type { SqlExecutor } from '../sql.js';

/**
 * A school's data version (`data_versions`): a counter that moves whenever what the web's pages
 * show of the school can have changed, so the pages' read cache (src/app/read-cache.ts) is never
 * behind the mirror. The journal changes only through a sync, which commits scope by scope; the
 * findings only through a check run and through people's actions. Each of those writers bumps the
 * counter in its own statement or transaction, here in the repositories (a sync run's start, each
 * committed scope, its end; a check run's start and end; an action on a finding), so the bump
 * commits with the change. Reading it is one primary-key lookup, whatever the history's length.
 */

/** The school's version, as a key part ('0': nothing written since the table was made). */
export async function readDataVersion(db: SqlExecutor, schoolId: string): Promise<string> {
  const [row] = await db.query('SELECT version FROM data_versions WHERE school_id = ?', [schoolId]);
  // Compared for equality only: PostgreSQL's bigint comes as a string, SQLite's as a number.
  return row ? String(row.version) : '0';
}

/** One more change of the school's data; call in the writer's transaction. */
export async function bumpDataVersion(db: SqlExecutor, schoolId: string): Promise<void> {
  await db.run(
    `INSERT INTO data_versions (school_id, version) VALUES (?, 1)
     ON CONFLICT (school_id) DO UPDATE SET version = data_versions.version + 1`,
    [schoolId],
  );
}

/**
 * The same, for the school of a sync or check run (a committed scope, a run's end: they know only
 * their run).
 */
export async function bumpDataVersionOfRun(
  db: SqlExecutor,
  runs: 'sync_runs' | 'check_runs',
  runId: string,
): Promise<void> {
  // `WHERE true`: SQLite needs it to read ON CONFLICT after INSERT … SELECT.
  await db.run(
    `INSERT INTO data_versions (school_id, version)
     SELECT school_id, 1 FROM ${runs} WHERE id = ? AND true
     ON CONFLICT (school_id) DO UPDATE SET version = data_versions.version + 1`,
    [runId],
  );
}
