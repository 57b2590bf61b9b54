import { copyFileSync, chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { openMirror, type DatabaseConfig } from '../mirror/data-source.js';
import { valuesClause, type SqlExecutor } from '../mirror/sql.js';
import { EzhError, UsageError } from '../platform/errors.js';
import { extractArchive } from './extract.js';
import { FILE_MODE, fsyncDir } from './files.js';
import type { Manifest, ManifestTable } from './manifest.js';
import { PARTIAL_SUFFIX } from './pack.js';
import { ident, listTables } from './schema-introspect.js';
import { verifyTree } from './verify.js';

/**
 * `ezh archive restore`: rebuilds a mirror from an archive, after verifying it (a damaged
 * archive is refused, not half-restored). A SQLite snapshot restores into SQLite as a file
 * copy; every other case (PostgreSQL target, or an archive made from PostgreSQL) loads the
 * JSON lines export in batches, in one transaction, into a freshly migrated empty mirror.
 */

export interface RestoreResult {
  method: 'snapshot' | 'export';
  tables: { table: string; rows: number }[];
}

const MAX_PARAMS = 8000;

export async function restoreArchive(
  file: string,
  target: DatabaseConfig,
  options: { logger?: Logger; workDir?: string } = {},
): Promise<RestoreResult> {
  if (target.type === 'sqlite' && existsSync(target.path) && statSync(target.path).size > 0) {
    throw new UsageError(`restore target exists: ${target.path}`, [
      '--into: restore only into a new database file',
    ]);
  }
  const extracted = await extractArchive(file, options.workDir);
  try {
    const report = await verifyTree(extracted.root);
    if (!report.ok || !report.manifest) {
      throw new EzhError(
        `archive failed verification: ${report.problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`,
      );
    }
    const manifest = report.manifest;
    if (target.type === 'sqlite' && manifest.snapshot.file) {
      restoreSnapshotFile(join(extracted.root, manifest.snapshot.file), target.path);
      // Brings an older snapshot's schema up to this version of ezh.
      const mirror = await openMirror(target);
      await mirror.close();
      options.logger?.info({ into: target.path }, 'restore: snapshot copied');
      return {
        method: 'snapshot',
        tables: manifest.tables.map((t) => ({ table: t.table, rows: t.rows })),
      };
    }
    return await loadExport(extracted.root, manifest, target, options.logger);
  } finally {
    extracted.dispose();
  }
}

function restoreSnapshotFile(snapshot: string, targetPath: string): void {
  const final = resolve(targetPath);
  const partial = final + PARTIAL_SUFFIX;
  rmSync(partial, { force: true });
  rmSync(final, { force: true });
  copyFileSync(snapshot, partial);
  chmodSync(partial, FILE_MODE);
  renameSync(partial, final);
  fsyncDir(dirname(final));
}

async function loadExport(
  root: string,
  manifest: Manifest,
  target: DatabaseConfig,
  logger?: Logger,
): Promise<RestoreResult> {
  const mirror = await openMirror(target);
  try {
    const db = mirror.db;
    const existing = new Map((await listTables(db)).map((t) => [t.name, t]));
    for (const t of manifest.tables) {
      const have = existing.get(t.table);
      if (!have) {
        throw new EzhError(`restore target has no table ${t.table} (archive from a newer ezh?)`);
      }
      const missing = t.columns.filter((c) => !have.columns.some((h) => h.name === c.name));
      if (missing.length > 0) {
        throw new EzhError(
          `restore target table ${t.table} lacks columns ${missing.map((c) => c.name).join(', ')}`,
        );
      }
      const n = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${ident(t.table)}`);
      if (Number(n[0]?.n ?? 0) > 0) {
        throw new UsageError(`restore target is not empty: ${t.table} has rows`, [
          '--into: restore only into an empty database or schema',
        ]);
      }
    }
    const tables: RestoreResult['tables'] = [];
    await db.transaction(async (tx) => {
      for (const t of manifest.tables) {
        const rows = await loadTable(tx, root, t);
        tables.push({ table: t.table, rows });
        logger?.info({ table: t.table, rows }, 'restore: table loaded');
      }
      if (tx.dialect === 'postgres') await resetSequences(tx, manifest.tables);
      await forgetDerivedStateOfOlderSchema(tx, manifest, [...existing.values()]);
    });
    return { method: 'export', tables };
  } finally {
    await mirror.close();
  }
}

/**
 * An archive from an older schema lacks the tables and columns later migrations added. Its
 * `derived_state` says how far its derived tables were applied, and a derived table or figure
 * added since (migration 0030's per-lesson totals, 0031's figures of them) would stay empty or at
 * its default while that state said it was current: the rules reading it would find nothing.
 * Forgotten, the state makes the next refresh rebuild every derived table from the restored
 * journal.
 */
async function forgetDerivedStateOfOlderSchema(
  tx: SqlExecutor,
  manifest: Manifest,
  targetTables: readonly { name: string; columns: readonly { name: string }[] }[],
): Promise<void> {
  if (!targetTables.some((t) => t.name === 'derived_state')) return;
  const archived = new Map(manifest.tables.map((t) => [t.table, t.columns]));
  const older = targetTables.some((t) => {
    const columns = archived.get(t.name);
    return !columns || t.columns.some((c) => !columns.some((a) => a.name === c.name));
  });
  if (older) await tx.run(`DELETE FROM derived_state`);
}

async function loadTable(tx: SqlExecutor, root: string, t: ManifestTable): Promise<number> {
  const names = t.columns.map((c) => c.name);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / names.length));
  const insert = (n: number) =>
    `INSERT INTO ${ident(t.table)} (${names.map(ident).join(', ')}) VALUES ${valuesClause(n, names.length)}`;
  let batch: unknown[] = [];
  let inBatch = 0;
  let total = 0;
  for await (const line of createInterface({
    input: createReadStream(join(root, t.jsonl), 'utf8'),
    crlfDelay: Infinity,
  })) {
    if (line === '') continue;
    const obj = JSON.parse(line) as Record<string, unknown>;
    for (const name of names) batch.push(obj[name] ?? null);
    inBatch++;
    total++;
    if (inBatch === perStatement) {
      await tx.run(insert(inBatch), batch);
      batch = [];
      inBatch = 0;
    }
  }
  if (inBatch > 0) await tx.run(insert(inBatch), batch);
  return total;
}

/** Generated keys were inserted explicitly: move each sequence past the restored maximum. */
async function resetSequences(tx: SqlExecutor, tables: readonly ManifestTable[]): Promise<void> {
  for (const t of tables) {
    for (const c of t.columns.filter(
      (col) => col.type === 'integer' && t.primary.includes(col.name),
    )) {
      const seq = await tx.query<{ s: string | null }>(`SELECT pg_get_serial_sequence(?, ?) AS s`, [
        t.table,
        c.name,
      ]);
      const name = seq[0]?.s;
      if (!name) continue;
      await tx.query(
        `SELECT setval(?::regclass, COALESCE((SELECT max(${ident(c.name)}) FROM ${ident(t.table)}), 0) + 1, false)`,
        [name],
      );
    }
  }
}
