import Database from 'better-sqlite3';

/**
 * The one place a SQLite connection gets its pragmas: the mirror's own connection (through
 * TypeORM's `prepareDatabase`), the rule workers' read-only connections and the archive's
 * snapshot files all open here, so a tuning change reaches every one of them.
 */

export type SqliteRole =
  /** The mirror's writing connection: WAL, durable commits, large checkpoints. */
  | 'writer'
  /** A second connection to a live mirror that only reads (rule workers): refuses writes. */
  | 'reader'
  /** A standalone file (an archive's snapshot): read or edited alone, journal left as it is. */
  | 'file';

/** Applies the pragmas of `role` to an open connection. */
export function applySqlitePragmas(db: Database.Database, role: SqliteRole): void {
  // First: switching a fresh file to WAL takes an exclusive lock, and a second process opening
  // it at the same moment must wait for it, not fail with "database is locked".
  db.pragma('busy_timeout = 10000');
  if (role === 'writer') {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a committed transaction survives a killed process; only an OS crash may
    // lose the last commits, never consistency.
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every ~40 MB instead of every ~4 MB: a sync commits once per scope,
    // and each checkpoint copies the pages those commits share again and syncs two files
    // (large school, first sync: 22 % less time inside the write transactions).
    db.pragma('wal_autocheckpoint = 10000');
  }
  if (role !== 'file') {
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
  }
  // Checks only read: refuse any write through this connection.
  if (role === 'reader') db.pragma('query_only = ON');
}

export interface OpenSqliteOptions {
  /** Open read-only at the file level (an archive being verified). */
  readonly?: boolean;
  /** Fail when the file does not exist instead of creating it. */
  fileMustExist?: boolean;
}

/** Opens a SQLite file with the pragmas of `role`; the caller closes it. */
export function openSqlite(
  path: string,
  role: Exclude<SqliteRole, 'writer'>,
  options: OpenSqliteOptions = {},
): Database.Database {
  const db = new Database(path, {
    readonly: options.readonly ?? false,
    fileMustExist: options.fileMustExist ?? false,
  });
  try {
    applySqlitePragmas(db, role);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
