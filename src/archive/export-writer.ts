import { join } from 'node:path';
import type { SqlDb } from '../mirror/sql.js';
import { ALL_TABLES } from '../mirror/tables.js';
import { BOM, csvLine } from './csv.js';
import { PrivateFileWriter } from './files.js';
import type { ManifestEntity, ManifestTable } from './manifest.js';
import type { ArchivedTable } from './schema-introspect.js';
import { scanTables, type FilterOf } from './table-reader.js';

/**
 * The vendor-neutral export: per table one CSV (for people and spreadsheets) and one JSON lines
 * file (exact types and nulls: what `restore` reads), all rows in primary-key order, all from
 * one consistent read. Counts per mirrored entity (live, deleted, history versions) are taken
 * in the same pass, so the manifest describes exactly the rows written.
 */

export interface ExportResult {
  tables: ManifestTable[];
  entities: ManifestEntity[];
}

export async function writeExport(
  db: SqlDb,
  tables: readonly ArchivedTable[],
  filterOf: FilterOf,
  rootDir: string,
): Promise<ExportResult> {
  const open = new Map<
    string,
    { csv: PrivateFileWriter; jsonl: PrivateFileWriter; rows: number }
  >();
  const liveDeleted = new Map<string, { live: number; deleted: number }>();
  const versions = new Map<string, number>();
  const out: ManifestTable[] = [];
  try {
    for (const t of tables) {
      const csv = new PrivateFileWriter(join(rootDir, 'export', `${t.name}.csv`));
      const jsonl = new PrivateFileWriter(join(rootDir, 'export', `${t.name}.jsonl`));
      csv.write(BOM + csvLine(t.columns.map((c) => c.name)));
      open.set(t.name, { csv, jsonl, rows: 0 });
    }
    await scanTables(db, tables, filterOf, (table, rows) => {
      const f = open.get(table.name)!;
      const names = table.columns.map((c) => c.name);
      const deletedAt = names.indexOf('deleted_at');
      const entity = table.name === 'record_versions' ? names.indexOf('entity') : -1;
      let counts = liveDeleted.get(table.name);
      if (!counts) liveDeleted.set(table.name, (counts = { live: 0, deleted: 0 }));
      for (const row of rows) {
        f.csv.write(csvLine(row));
        const obj: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) obj[names[i]!] = row[i] ?? null;
        f.jsonl.write(`${JSON.stringify(obj)}\n`);
        f.rows++;
        if (deletedAt >= 0) {
          if (row[deletedAt] === null || row[deletedAt] === undefined) counts.live++;
          else counts.deleted++;
        }
        if (entity >= 0) {
          const e = String(row[entity]);
          versions.set(e, (versions.get(e) ?? 0) + 1);
        }
      }
    });
  } finally {
    for (const f of open.values()) {
      f.csv.close();
      f.jsonl.close();
    }
  }
  for (const t of tables) {
    out.push({
      table: t.name,
      rows: open.get(t.name)!.rows,
      csv: `export/${t.name}.csv`,
      jsonl: `export/${t.name}.jsonl`,
      columns: t.columns,
      primary: t.primary,
    });
  }
  const present = new Set(tables.map((t) => t.name));
  const entities = ALL_TABLES.filter((spec) => present.has(spec.table)).map((spec) => ({
    entity: spec.stream,
    table: spec.table,
    live: liveDeleted.get(spec.table)?.live ?? 0,
    deleted: liveDeleted.get(spec.table)?.deleted ?? 0,
    versions: versions.get(spec.stream) ?? 0,
  }));
  return { tables: out, entities };
}
