import type { SqlDb, SqlExecutor, SqliteDb } from '../mirror/sql.js';
import type { ArchivedTable } from './schema-introspect.js';
import { ident } from './schema-introspect.js';
import type { RowFilter } from './school-filter.js';

/**
 * Reads whole tables in primary-key order, in batches, inside ONE consistent read:
 * - SQLite: one deferred read transaction on the connection, rows streamed by the driver's
 *   iterator and handed to the sink synchronously, so no other statement can interleave;
 * - PostgreSQL: one `REPEATABLE READ, READ ONLY` transaction with a server-side cursor per
 *   table, so memory stays flat however large the mirror is.
 * Text keys are ordered bytewise on both engines (`COLLATE "C"` on PostgreSQL equals SQLite's
 * BINARY), so the same mirror yields the same row order on either engine.
 */

export type Row = unknown[];
export type BatchSink = (table: ArchivedTable, rows: Row[]) => void;
export type FilterOf = (table: ArchivedTable) => RowFilter | null;

const BATCH = 2000;

export function selectSql(
  table: ArchivedTable,
  filter: RowFilter | null,
  dialect: SqlDb['dialect'],
): string {
  const cols = table.columns.map((c) => ident(c.name)).join(', ');
  const keys = table.primary.length > 0 ? table.primary : table.columns.map((c) => c.name);
  const order = keys
    .map((k) => {
      const col = table.columns.find((c) => c.name === k);
      return dialect === 'postgres' && col?.type === 'text' ? `${ident(k)} COLLATE "C"` : ident(k);
    })
    .join(', ');
  return `SELECT ${cols} FROM ${ident(table.name)}${filter ? ` WHERE ${filter.sql}` : ''} ORDER BY ${order}`;
}

export async function scanTables(
  db: SqlDb,
  tables: readonly ArchivedTable[],
  filterOf: FilterOf,
  sink: BatchSink,
): Promise<void> {
  if (db.dialect === 'sqlite') {
    scanSqlite(db as SqliteDb, tables, filterOf, sink);
    return;
  }
  await db.transaction(async (tx) => {
    // Must be the first statement of the transaction: every table is read from one snapshot.
    await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    for (const table of tables) await scanPgTable(tx, table, filterOf(table), sink);
  });
}

function scanSqlite(
  db: SqliteDb,
  tables: readonly ArchivedTable[],
  filterOf: FilterOf,
  sink: BatchSink,
): void {
  const raw = db.raw;
  const read = raw.transaction(() => {
    for (const table of tables) {
      const filter = filterOf(table);
      const stmt = raw.prepare(selectSql(table, filter, 'sqlite')).raw(true);
      let batch: Row[] = [];
      for (const row of stmt.iterate(...((filter?.params ?? []) as unknown[]))) {
        batch.push(row as Row);
        if (batch.length >= BATCH) {
          sink(table, batch);
          batch = [];
        }
      }
      sink(table, batch);
    }
  });
  read.deferred();
}

async function scanPgTable(
  tx: SqlExecutor,
  table: ArchivedTable,
  filter: RowFilter | null,
  sink: BatchSink,
): Promise<void> {
  // DECLARE is a utility statement and takes no bind parameters: the filter's values (school
  // ids, digits only) are inlined as quoted literals.
  const sql = inlineLiterals(selectSql(table, filter, 'postgres'), filter?.params ?? []);
  await tx.run(`DECLARE ezh_archive_cursor NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const rows = await tx.query(`FETCH FORWARD ${BATCH} FROM ezh_archive_cursor`);
    sink(
      table,
      rows.map((r) => table.columns.map((c) => r[c.name])),
    );
    if (rows.length < BATCH) break;
  }
  await tx.run('CLOSE ezh_archive_cursor');
}

function inlineLiterals(sql: string, params: readonly unknown[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => `'${String(params[i++]).replace(/'/g, "''")}'`);
}
