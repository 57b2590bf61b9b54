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
}

export interface SqlDb extends SqlExecutor {
  /** Runs `fn` in one transaction; rolled back if it throws. Transactions never interleave. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
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

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** `(?, ?, ?), (?, ?, ?)` for a multi-row VALUES clause. */
export function valuesClause(rows: number, columns: number): string {
  const one = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(rows).fill(one).join(', ');
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
