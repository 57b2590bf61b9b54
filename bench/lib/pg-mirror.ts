import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openMirror } from '../../src/mirror/data-source.js';
import type { SqliteDb } from '../../src/mirror/sql.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { writeJournalMirror, type JournalMirrorStats } from './journal-mirror.js';
import { copySqliteToPg, JOURNAL_TABLES, type CopyStats } from './sqlite-to-pg.js';

/**
 * A PostgreSQL mirror of the bench's generated school: the journals written into a SQLite file
 * first by `journal-mirror.ts` (the SQLite bench's generator, the same rows), then copied into a
 * schema of its own on the machine's server (`EZH_BENCH_PG_URL`, default the tests' database).
 */

export const BENCH_PG_URL =
  process.env.EZH_BENCH_PG_URL ??
  process.env.EZH_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** Tables the end of a sync derives from the journal ones (the checks read them). */
export const DERIVED_TABLES = ['lesson_order', 'period_mark_totals', 'period_subject_totals'];

export interface PgMirrorStats {
  schema: string;
  gen: JournalMirrorStats;
  copy: CopyStats;
}

/** The schema, migrated (every migration, as `ezh` would), then the generated rows copied in. */
export async function buildPgMirror(
  sandbox: Sandbox,
  schema: string,
  marks: number,
  options: { autovacuum?: boolean } = {},
): Promise<PgMirrorStats> {
  const pgMirror = await openMirror({ type: 'postgres', url: BENCH_PG_URL, schema, path: '' });
  await pgMirror.close();
  if (options.autovacuum === false) {
    // Held off so that a step "without statistics" is that: autovacuum would ANALYZE the
    // freshly written tables within a minute or so, at a moment no step controls.
    await withClient(async (c) => {
      for (const t of [...JOURNAL_TABLES, ...DERIVED_TABLES]) {
        await c.query(`ALTER TABLE "${schema}".${t} SET (autovacuum_enabled = false)`);
      }
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-pg-'));
  try {
    const lite = await openMirror({
      type: 'sqlite',
      path: join(dir, 'm.sqlite'),
      schema: 'public',
    });
    const raw = (lite.db as SqliteDb).raw;
    const gen = writeJournalMirror(raw, { sandbox, marks });
    const copy = await withClient((c) => copySqliteToPg(raw, c, schema));
    await lite.close();
    return { schema, gen, copy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function schemaExists(schema: string): Promise<boolean> {
  return withClient(async (c) => {
    const r = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
    return r.rowCount === 1;
  });
}

export async function dropPgSchema(schema: string): Promise<void> {
  await withClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** `ANALYZE` of the given tables; returns its milliseconds. */
/**
 * `VACUUM (ANALYZE)`: what autovacuum does on a server that runs it. The machine's server runs
 * with `autovacuum = off`, so nothing ever set the visibility map of the copied tables (every
 * "index-only" probe fetched its heap row: `relallvisible` 0) nor removed the dead versions that
 * each stored run leaves in `findings` (~43,000 updated rows a run: 524,000 dead rows, 619 MB after
 * a dozen runs, and storing a run's findings slowed with each). Not in a transaction block.
 */
export async function vacuumTables(schema: string, tables: readonly string[]): Promise<number> {
  return withClient(async (c) => {
    const started = performance.now();
    for (const t of tables) await c.query(`VACUUM (ANALYZE) "${schema}".${t}`);
    return performance.now() - started;
  });
}

/** Tables a stored check run writes (vacuumed before each step: see `vacuumTables`). */
export const RUN_TABLES = ['findings', 'finding_events', 'check_runs'];

export async function analyzeTables(schema: string, tables: readonly string[]): Promise<number> {
  return withClient(async (c) => {
    const started = performance.now();
    for (const t of tables) await c.query(`ANALYZE "${schema}".${t}`);
    return performance.now() - started;
  });
}
