import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Config } from '../config/schema.js';
import { ConfigError, EnvironmentError } from '../platform/errors.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { PgDb, SqliteDb, type SqlDb } from './sql.js';
import { applySqlitePragmas } from './sqlite-open.js';

// Instants are bigint epoch milliseconds (< 2^53) and counts are bigint: read both as numbers.
// Platform ids are text columns, so no id is ever affected by this.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Mirror {
  dataSource: DataSource;
  db: SqlDb;
  /** `sqlite:/abs/path` or `postgres:schema`, for messages (never the URL: it may hold a password). */
  describe: string;
  close(): Promise<void>;
}

export type DatabaseConfig = Config['database'];

/** Opens the mirror and brings its schema up to date (migrations, never `synchronize`). */
export async function openMirror(
  database: DatabaseConfig,
  options: { migrate?: boolean } = {},
): Promise<Mirror> {
  const dataSource =
    database.type === 'postgres' ? postgresSource(database) : sqliteSource(database.path);
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new EnvironmentError(`cannot open the mirror database: ${(err as Error).message}`, 1, {
      cause: err,
    });
  }
  try {
    if (database.type === 'postgres') {
      // Processes started together (a fleet of workers after a deploy) would otherwise race on
      // a fresh schema ("relation already exists"): one migrates, the others wait, then find
      // nothing to do.
      await withPostgresMigrationLock(database, async () => {
        await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${database.schema}"`);
        if (options.migrate ?? true) await dataSource.runMigrations({ transaction: 'each' });
      });
    } else if (options.migrate ?? true) {
      await migrateSqliteExclusively(dataSource);
    }
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }

  let db: SqlDb;
  let describe: string;
  if (database.type === 'postgres') {
    db = new PgDb((dataSource.driver as unknown as { master: pg.Pool }).master);
    describe = `postgres:${database.schema}`;
  } else {
    const raw = (
      dataSource.driver as unknown as { databaseConnection: import('better-sqlite3').Database }
    ).databaseConnection;
    db = new SqliteDb(raw);
    describe = `sqlite:${resolve(database.path)}`;
    restrictSqliteFiles(database.path);
  }
  return {
    dataSource,
    db,
    describe,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** The advisory lock's key: one per schema, so separate mirrors in one database do not wait. */
function migrationLockKey(schema: string): string {
  return createHash('sha256')
    .update(`ezh-migrations:${schema}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

async function withPostgresMigrationLock(
  database: DatabaseConfig,
  work: () => Promise<void>,
): Promise<void> {
  // A session lock on a connection of its own: the migrations run on the pool's connections.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const key = migrationLockKey(database.schema);
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/**
 * SQLite: every pending migration in one `BEGIN IMMEDIATE` transaction on the mirror's own
 * connection, so a second process waits for the write lock and then sees the migrations done
 * (deferred transactions let both read "nothing applied" first). Waiting is retried while
 * another process migrates a large mirror (longer than the busy timeout).
 */
async function migrateSqliteExclusively(dataSource: DataSource): Promise<void> {
  const raw = (
    dataSource.driver as unknown as { databaseConnection: import('better-sqlite3').Database }
  ).databaseConnection;
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      raw.exec('BEGIN IMMEDIATE');
      break;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code?.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw err;
    }
  }
  try {
    await dataSource.runMigrations({ transaction: 'none' });
    raw.exec('COMMIT');
  } catch (err) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    throw err;
  }
}

function sqliteSource(path: string): DataSource {
  const file = prepareSqliteFile(path);
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'ezh_migrations',
    synchronize: false,
    logging: false,
    prepareDatabase: (db: import('better-sqlite3').Database) => applySqlitePragmas(db, 'writer'),
  });
}

/**
 * Creates the mirror's folders (0700) and file (0600, it holds personal data) step by step, so a
 * bad `database.path` is a clear configuration error: a recursive mkdir answers a path under a
 * file with a raw EEXIST, and under /proc it never returns.
 */
function prepareSqliteFile(path: string): string {
  const file = resolve(path);
  const bad = (reason: string) =>
    new ConfigError('the mirror database cannot be created', [`database.path: ${path}: ${reason}`]);
  const missing: string[] = [];
  let dir = dirname(file);
  for (; !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
  if (!statSync(dir).isDirectory()) throw bad(`${dir} is a file, not a folder`);
  for (const d of missing) {
    try {
      mkdirSync(d, { mode: 0o700 });
      chmodSync(d, 0o700); // mkdir's mode passes through the umask
    } catch (err) {
      throw bad(
        `cannot create the folder ${d} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (existsSync(file) && !statSync(file).isFile()) throw bad('it is not a regular file');
  try {
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  } catch (err) {
    throw bad(`cannot create the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return file;
}

function restrictSqliteFiles(path: string): void {
  const file = resolve(path);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
}

/**
 * Session settings of every pooled PostgreSQL connection of the mirror. JIT compilation off: the
 * checks' queries at a million marks cost enough for the server to compile them, and compiling
 * took longer than it saved (bench/checks-pg, `EXPLAIN ANALYZE` at 1M marks: 3.6 s of JIT in
 * `absent-with-mark`'s 8.8 s, 1.3 s of 8.4 s in `attendance-not-kept`), on queries that end in
 * seconds. `work_mem` 32 MB instead of the server's 4 MB: a large school's lesson-order and
 * period hashes fit in memory (at 4 MB `two-not-corrected`'s spilled to disk; bench/README.md);
 * at most 8 connections.
 * The bench's checking process sets the same (bench/lib/checks-pg-child.ts).
 */
export const PG_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  jit: 'off',
  work_mem: '32MB',
};

/**
 * Connections the pool keeps open while idle: a check run's two rule lanes and its bookkeeping.
 * A new backend pays for mapping the server's memory on its first large queries (page faults:
 * what that costs a large school's check run is in bench/README.md), and node-postgres closed
 * every connection idle for 10 s, so a worker's hourly jobs always began on new ones.
 * Connections beyond these still close after 10 s idle.
 */
export const PG_POOL_KEPT = 3;

/**
 * The pool of the mirror's connections (node-postgres options). `allowExitOnIdle`: the kept
 * connections never hold a finished process open (a worker lives by its queue connections, the
 * web server by its socket). TCP keepalive: a kept connection idle for an hour behind a firewall
 * that drops idle flows would otherwise hang the next job until the kernel gave up on it.
 */
export function pgPoolOptions(
  schema: string,
  settings: Readonly<Record<string, string>> = PG_SESSION_SETTINGS,
): pg.PoolConfig {
  return {
    options: pgSessionOptions(schema, settings),
    max: 8,
    min: PG_POOL_KEPT,
    allowExitOnIdle: true,
    keepAlive: true,
    keepAliveInitialDelayMillis: 60_000,
    application_name: `ezh ${process.pid}`,
  };
}

/** `-c search_path=… -c jit=off …`: the libpq `options` of the mirror's connections. */
export function pgSessionOptions(
  schema: string,
  settings: Readonly<Record<string, string>> = PG_SESSION_SETTINGS,
): string {
  return Object.entries({ search_path: `"${schema}"`, ...settings })
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
}

function postgresSource(database: DatabaseConfig): DataSource {
  return new DataSource({
    type: 'postgres',
    url: database.url,
    schema: database.schema,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'ezh_migrations',
    synchronize: false,
    logging: false,
    // Every pooled connection works inside ezh's schema, so raw SQL needs no schema prefix.
    // application_name: `pg_stat_activity` shows which ezh process holds each connection.
    extra: pgPoolOptions(database.schema),
  });
}
