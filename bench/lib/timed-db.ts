import type { SqlDb, SqlExecutor } from '../../src/mirror/sql.js';

/**
 * A mirror handle that adds up the time spent inside transactions (the mirror's writes: rows,
 * history versions, checkpoints), commit included. better-sqlite3 is synchronous, so nothing else
 * runs on the event loop while a transaction is open: this is the write time, without fetching.
 */
export interface TimedDb extends SqlDb {
  writeMs(): number;
  transactions(): number;
}

export function timedDb(db: SqlDb): TimedDb {
  let ms = 0;
  let count = 0;
  return {
    dialect: db.dialect,
    query: (sql, params) => db.query(sql, params),
    run: (sql, params) => db.run(sql, params),
    transaction: async <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
      let started = 0;
      try {
        return await db.transaction((tx) => {
          started = performance.now();
          return fn(tx);
        });
      } finally {
        if (started > 0) ms += performance.now() - started;
        count++;
      }
    },
    writeMs: () => ms,
    transactions: () => count,
  };
}
