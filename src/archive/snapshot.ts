import { chmodSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteDb, type SqlDb } from '../mirror/sql.js';
import { openSqlite } from '../mirror/sqlite-open.js';
import { ensurePrivateDir } from '../platform/private-files.js';
import { createPrivateFile, FILE_MODE } from './files.js';
import { listTables } from './schema-introspect.js';
import { schoolFilter } from './school-filter.js';

/**
 * A consistent copy of a SQLite mirror. `VACUUM INTO` reads the live database in one read
 * transaction (writers in WAL mode carry on) and writes a compact, self-contained file. The
 * copy is then made fit for an archive: a rollback journal instead of WAL (one file), no
 * archive register (it describes the source's media), and, for a one-school archive, no other
 * school's rows.
 */
export async function sqliteSnapshot(
  db: SqlDb,
  target: string,
  schoolId: string | null,
): Promise<void> {
  ensurePrivateDir(dirname(target));
  // VACUUM INTO wants a missing or empty file: create it empty with the right mode first.
  closeSync(createPrivateFile(target));
  // Through the SqlDb lock: never in the middle of another flow's transaction on this connection.
  await db.run('VACUUM INTO ?', [target]);
  chmodSync(target, FILE_MODE);

  const copy = openSqlite(target, 'file');
  try {
    copy.pragma('journal_mode = DELETE');
    const hasRegister = copy
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'archives'`)
      .get();
    if (hasRegister) copy.exec('DELETE FROM archives');
    if (schoolId !== null) {
      const tables = await listTables(new SqliteDb(copy));
      copy.transaction(() => {
        // sync_run_streams is filtered through sync_runs: prune it before its parent rows go.
        const ordered = [...tables].sort(
          (a, b) => Number(b.name === 'sync_run_streams') - Number(a.name === 'sync_run_streams'),
        );
        for (const t of ordered) {
          const f = schoolFilter(t, schoolId);
          if (f) copy.prepare(`DELETE FROM "${t.name}" WHERE NOT (${f.sql})`).run(...f.params);
        }
      })();
    }
    copy.exec('VACUUM');
  } finally {
    copy.close();
  }
  chmodSync(target, FILE_MODE);
}
