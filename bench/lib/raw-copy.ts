import type BetterSqlite3 from 'better-sqlite3';
import { ALL_TABLES } from '../../src/mirror/tables.js';

/**
 * The baseline of the write-rate figures: the live rows of every mirrored table of `from`,
 * inserted into `to` (a fresh file of the same schema) with one prepared INSERT per table, in one
 * transaction. Rows are read before the clock starts; returns rows inserted and milliseconds.
 */
export function rawCopy(
  from: BetterSqlite3.Database,
  to: BetterSqlite3.Database,
): { rows: number; ms: number } {
  const data = ALL_TABLES.map((spec) => ({
    table: spec.table,
    rows: from.prepare(`SELECT * FROM ${spec.table}`).raw(true).all() as unknown[][],
    columns: from
      .prepare(`SELECT * FROM ${spec.table} LIMIT 0`)
      .columns()
      .map((c) => c.name),
  }));
  const started = performance.now();
  let rows = 0;
  to.transaction(() => {
    for (const t of data) {
      if (t.rows.length === 0) continue;
      const insert = to.prepare(
        `INSERT INTO ${t.table} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`,
      );
      for (const row of t.rows) insert.run(...(row as never[]));
      rows += t.rows.length;
    }
  })();
  return { rows, ms: performance.now() - started };
}
