import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';

/**
 * One small SQL interface over both engines. The mirror's hot paths (upserts, scope deletions,
 * checks) are plain SQL written once with `?` placeholders; this layer binds them for
 * better-sqlite3 (prepared-statement cache) or node-postgres (`$n`). Booleans are not bound:
 * flags are integers 0/1 in both engines, so SQL text stays identical.
 */

export type Dialect = 'sqlite' | 'postgres';
export type Param = string | number | bigint | null | Buffer;
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: Dialect;
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /**
   * Runs a one-row statement once per parameter row, prepared once (optional: see `insertRows`).
   * better-sqlite3 binds a row in well under a microsecond, so on SQLite this beats multi-row
   * statements, which would be prepared anew for every row count.
   */
  runEach?(sql: string, rows: readonly (readonly unknown[])[]): Promise<void>;
}

export interface SqlDb extends SqlExecutor {
  /** Runs `fn` in one transaction; rolled back if it throws. Transactions never interleave. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

function plain(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint';
}

/** The row itself when every value binds as it is (the usual case), else a converted copy. */
function bindRow(row: readonly unknown[]): readonly unknown[] {
  for (let i = 0; i < row.length; i++) if (!plain(row[i])) return row.map(bindValue);
  return row;
}

function bindValue(v: unknown): Param {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (
    typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    Buffer.isBuffer(v)
  ) {
    return v;
  }
  if (v instanceof Date) return v.getTime();
  return JSON.stringify(v);
}

/** A FIFO lock: SQLite has one connection, so statements of different flows must not interleave with a transaction. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

class SqliteExecutor implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  constructor(
    protected readonly db: BetterSqlite3.Database,
    private readonly cache: Map<string, BetterSqlite3.Statement>,
  ) {}

  protected stmt(sql: string): BetterSqlite3.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    // An array binds anonymous parameters without spreading thousands of call arguments.
    return this.stmt(sql).all(params.map(bindValue)) as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    const s = this.stmt(sql);
    if (!s.reader) return { changes: s.run(params.map(bindValue)).changes };
    s.all(params.map(bindValue));
    return { changes: 0 };
  }

  async runEach(sql: string, rows: readonly (readonly unknown[])[]): Promise<void> {
    const s = this.stmt(sql);
    for (const row of rows) s.run(bindRow(row));
  }
}

export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly exec: SqliteExecutor;

  constructor(readonly raw: BetterSqlite3.Database) {
    this.exec = new SqliteExecutor(raw, new Map());
  }

  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.mutex.lock(() => this.exec.query<T>(sql, params));
  }

  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    return this.mutex.lock(() => this.exec.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.exec);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      }
    });
  }
}

/** `?` → `$1, $2, ...`. ezh's SQL never has `?` inside string literals. */
export function toPgPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

class PgExecutor implements SqlExecutor {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: Pool | PoolClient) {}

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const res = await this.client.query(toPgPlaceholders(sql), params.map(bindValue));
    return res.rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    const res = await this.client.query(toPgPlaceholders(sql), params.map(bindValue));
    return { changes: res.rowCount ?? 0 };
  }
}

export class PgDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  private readonly exec: PgExecutor;

  constructor(private readonly pool: Pool) {
    this.exec = new PgExecutor(pool);
  }

  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.exec.query<T>(sql, params);
  }

  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    return this.exec.run(sql, params);
  }

  /**
   * A checked-out client has no pool listener: a connection the server terminates (a restart,
   * `pg_terminate_backend`) would emit an unhandled `error` and crash the process. Listening here
   * turns it into a failed transaction (the job fails and is retried) and drops the client.
   */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | null = null;
    const onError = (err: Error) => (broken ??= err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.removeListener('error', onError);
      // A broken connection is closed, not returned to the pool.
      client.release(broken ?? undefined);
    }
  }
}

/** `(?, ?, ?), (?, ?, ?)` for a multi-row VALUES clause. */
export function valuesClause(rows: number, columns: number): string {
  const one = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(rows).fill(one).join(', ');
}

/** What `insertRows` writes: a table, its columns, and a clause after VALUES (ON CONFLICT ...). */
export interface InsertShape {
  table: string;
  columns: readonly string[];
  conflict?: string;
}

// Statement sizes: SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535.
const MAX_PARAMS_PER_INSERT = 8000;

/**
 * Inserts rows (values in `shape.columns` order): row by row through one prepared statement
 * where the executor can (`runEach`, SQLite), else in multi-row statements (PostgreSQL: one
 * round trip per statement).
 */
export async function insertRows(
  tx: SqlExecutor,
  shape: InsertShape,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const n = shape.columns.length;
  const head = `INSERT INTO ${shape.table} (${shape.columns.join(', ')}) VALUES `;
  const tail = shape.conflict ? ` ${shape.conflict}` : '';
  if (tx.runEach) {
    await tx.runEach(head + valuesClause(1, n) + tail, rows);
    return;
  }
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS_PER_INSERT / n));
  for (const part of chunk(rows, perStatement)) {
    await tx.run(head + valuesClause(part.length, n) + tail, part.flat());
  }
}

/**
 * Ids of an IN list, their count rounded up to a power of two by repeating the last one (the
 * result set is the same): a few statement shapes, each prepared once, instead of one per length.
 */
export function padIds<T>(ids: readonly T[]): T[] {
  if (ids.length === 0) return [];
  let size = 1;
  while (size < ids.length) size *= 2;
  const out = ids.slice();
  while (out.length < size) out.push(ids[ids.length - 1]!);
  return out;
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
