import type { ColumnType } from '../mirror/tables.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * The tables of a mirror as the database itself describes them. Archives read the schema from
 * the database rather than from code, so a table added by any later migration (alerts, jobs…)
 * is exported, restored and compared without anyone remembering to register it here.
 */

export interface ArchivedColumn {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export interface ArchivedTable {
  name: string;
  columns: ArchivedColumn[];
  /** Primary-key columns in key order; rows are always read in this order. */
  primary: string[];
}

/**
 * Never archived: the migration log belongs to the target's own schema version, the archive
 * register describes files on the source's media (a restored copy must not prune them), and run
 * leases name the source's live processes (the archive run's own among them).
 */
export const NOT_ARCHIVED: ReadonlySet<string> = new Set([
  'ezh_migrations',
  'archives',
  'run_leases',
]);

export function columnType(declared: string): ColumnType {
  const t = declared.trim().toLowerCase();
  if (t === 'bigint' || t === 'int8') return 'bigint';
  if (t === 'integer' || t === 'int' || t === 'int4' || t === 'smallint') return 'integer';
  if (
    t === 'double precision' ||
    t === 'real' ||
    t === 'float8' ||
    t === 'float4' ||
    t === 'numeric'
  ) {
    return 'double precision';
  }
  return 'text';
}

/** Every archivable table of the mirror, sorted by name (the order of exports and hashes). */
export async function listTables(db: SqlExecutor): Promise<ArchivedTable[]> {
  const tables = db.dialect === 'sqlite' ? await sqliteTables(db) : await pgTables(db);
  return tables
    .filter((t) => !NOT_ARCHIVED.has(t.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function sqliteTables(db: SqlExecutor): Promise<ArchivedTable[]> {
  const names = await db.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
  );
  const out: ArchivedTable[] = [];
  for (const { name } of names) {
    const info = await db.query<{ name: string; type: string; notnull: number; pk: number }>(
      `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`,
      [name],
    );
    out.push({
      name,
      columns: info.map((c) => ({
        name: c.name,
        type: columnType(c.type),
        nullable: c.notnull === 0 && c.pk === 0,
      })),
      primary: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
    });
  }
  return out;
}

async function pgTables(db: SqlExecutor): Promise<ArchivedTable[]> {
  const cols = await db.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const keys = await db.query<{ table_name: string; column_name: string }>(
    `SELECT k.table_name, k.column_name
     FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage k
       ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
      AND k.table_name = tc.table_name
     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
     ORDER BY k.table_name, k.ordinal_position`,
  );
  const byName = new Map<string, ArchivedTable>();
  for (const c of cols) {
    let t = byName.get(c.table_name);
    if (!t) byName.set(c.table_name, (t = { name: c.table_name, columns: [], primary: [] }));
    t.columns.push({
      name: c.column_name,
      type: columnType(c.data_type),
      nullable: c.is_nullable === 'YES',
    });
  }
  for (const k of keys) byName.get(k.table_name)?.primary.push(k.column_name);
  return [...byName.values()];
}

/** `"name"`: identifiers come from the database catalogue, quoted for both engines. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
