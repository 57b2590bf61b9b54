import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { TABLES } from '../../src/mirror/tables.js';

/**
 * Copies a generated SQLite mirror's journal tables into a migrated, empty PostgreSQL mirror
 * schema: the same rows, so that both engines can be checked on the same data (the bench, the
 * engines-agree test). Rows go in batches as one `INSERT … SELECT * FROM unnest($1::type[], …)`
 * per batch: one parameter per column whatever the batch size, ~5× faster than a multi-row VALUES
 * list here and needing no COPY stream package. The target's secondary indexes are dropped first
 * and built again after the copy (one sort each instead of a tree insert per row), as
 * `journal-mirror.ts` does on SQLite.
 */

export interface CopyStats {
  rows: Record<string, number>;
  copyMs: number;
  indexMs: number;
}

const BATCH = 20_000;

/**
 * Mirrored tables, parents first (no foreign keys, but the order reads naturally), and the sync
 * history that dates their rows (bench/lib/sync-history.ts): copied and cloned per school with them.
 */
export const JOURNAL_TABLES = [...Object.values(TABLES).map((t) => t.table), 'sync_runs'];

export async function copySqliteToPg(
  sqlite: BetterSqlite3.Database,
  client: pg.ClientBase,
  schema: string,
): Promise<CopyStats> {
  const started = performance.now();
  const indexes = await secondaryIndexes(client, schema, JOURNAL_TABLES);
  for (const ix of indexes) await client.query(`DROP INDEX "${schema}"."${ix.name}"`);
  const rows: Record<string, number> = {};
  for (const table of JOURNAL_TABLES) {
    const types = await columnTypes(client, schema, table);
    const cols = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    const missing = cols.filter((c) => !types.has(c));
    if (missing.length > 0) throw new Error(`${table}: no PostgreSQL column ${missing.join(', ')}`);
    const insert = `INSERT INTO "${schema}".${table} (${cols.join(', ')}) SELECT * FROM unnest(${cols
      .map((c, i) => `$${i + 1}::${types.get(c)}[]`)
      .join(', ')})`;
    const arrays = (): unknown[][] => cols.map(() => []);
    let batch = arrays();
    let n = 0;
    const flush = async () => {
      if (batch[0]!.length === 0) return;
      await client.query(insert, batch);
      batch = arrays();
    };
    const stmt = sqlite.prepare(`SELECT ${cols.join(', ')} FROM ${table}`).raw(true);
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        batch[i]!.push(typeof v === 'bigint' ? v.toString() : v);
      }
      n++;
      if (batch[0]!.length >= BATCH) await flush();
    }
    await flush();
    rows[table] = n;
  }
  const copied = performance.now();
  for (const ix of indexes) await client.query(ix.sql);
  return { rows, copyMs: copied - started, indexMs: performance.now() - copied };
}

/** Every index of the tables except primary keys and unique constraints (those stay). */
export async function secondaryIndexes(
  client: pg.ClientBase,
  schema: string,
  tables: readonly string[],
): Promise<{ name: string; sql: string }[]> {
  const res = await client.query<{ name: string; sql: string }>(
    `SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
      JOIN pg_class c ON c.relname = i.indexname
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
      JOIN pg_index x ON x.indexrelid = c.oid
     WHERE i.schemaname = $1 AND i.tablename = ANY($2) AND NOT x.indisprimary AND NOT x.indisunique`,
    [schema, tables],
  );
  return res.rows;
}

async function columnTypes(
  client: pg.ClientBase,
  schema: string,
  table: string,
): Promise<Map<string, string>> {
  const res = await client.query<{ column_name: string; udt_name: string }>(
    `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
    [schema, table],
  );
  return new Map(res.rows.map((r) => [r.column_name, r.udt_name]));
}
