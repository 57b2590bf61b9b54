import 'reflect-metadata';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { Config } from '../config/schema.js';
import { EnvironmentError } from '../platform/errors.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { PgDb, SqliteDb, type SqlDb } from './sql.js';

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
  if (database.type === 'postgres') {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${database.schema}"`);
  }
  if (options.migrate ?? true) await dataSource.runMigrations({ transaction: 'each' });

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

function sqliteSource(path: string): DataSource {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Create the file 0600 before the driver opens it: the mirror holds personal data.
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'ezh_migrations',
    synchronize: false,
    logging: false,
    prepareDatabase: (db: import('better-sqlite3').Database) => {
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a committed transaction survives a killed process; only an OS crash may
      // lose the last commits, never consistency.
      db.pragma('synchronous = NORMAL');
      // Checkpoint the WAL every ~40 MB instead of every ~4 MB: a sync commits once per scope,
      // and each checkpoint copies the pages those commits share again and syncs two files
      // (large school, first sync: 22 % less time inside the write transactions).
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('busy_timeout = 10000');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
    },
  });
}

function restrictSqliteFiles(path: string): void {
  const file = resolve(path);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
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
    extra: {
      options: `-c search_path="${database.schema}"`,
      max: 8,
      application_name: `ezh ${process.pid}`,
    },
  });
}
