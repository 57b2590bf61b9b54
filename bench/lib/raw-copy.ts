import type BetterSqlite3 from 'better-sqlite3';
import { ALL_TABLES } from '../../src/mirror/tables.js';

/**
 * The baselines of the write-rate figures: rows of a synced mirror `from`, inserted into `to` (a
 * fresh file of the same schema) with one prepared single-row INSERT per table, in one
 * transaction, in the order the mirror wrote them (rowid order). Reading is off the clock; the
 * commit is on it.
 *
 * - `history: false`: the mirrored tables' rows alone (the live rows);
 * - `history: true`: those and their `record_versions` rows, all the columns the mirror writes:
 *   the same rows the mirror writes for a record (`bench/mirror-upsert` uses the same baseline).
 */
export interface RawCopyResult {
  /** Rows of the mirrored tables (one per record). */
  records: number;
  /** `record_versions` rows copied too (0 without history). */
  versions: number;
  ms: number;
}

interface TableRows {
  table: string;
  columns: string[];
  rows: unknown[][];
}

function readTable(from: BetterSqlite3.Database, table: string): TableRows {
  const select = from.prepare(`SELECT * FROM ${table} ORDER BY rowid`);
  return {
    table,
    columns: select.columns().map((c) => c.name),
    rows: select.raw(true).all() as unknown[][],
  };
}

export function rawCopy(
  from: BetterSqlite3.Database,
  to: BetterSqlite3.Database,
  options: { history?: boolean } = {},
): RawCopyResult {
  const tables = ALL_TABLES.map((spec) => spec.table);
  if (options.history) tables.push('record_versions');
  const result: RawCopyResult = { records: 0, versions: 0, ms: 0 };
  // One transaction; each table is read (off the clock) just before its inserts, so that only
  // one table's rows are in memory at a time.
  to.exec('BEGIN');
  try {
    for (const table of tables) {
      const t = readTable(from, table);
      if (t.rows.length === 0) continue;
      const started = performance.now();
      const insert = to.prepare(
        `INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`,
      );
      for (const row of t.rows) insert.run(row);
      result.ms += performance.now() - started;
      if (table === 'record_versions') result.versions += t.rows.length;
      else result.records += t.rows.length;
    }
    const started = performance.now();
    to.exec('COMMIT');
    result.ms += performance.now() - started;
  } catch (err) {
    if (to.inTransaction) to.exec('ROLLBACK');
    throw err;
  }
  return result;
}
