import { createHash, type Hash } from 'node:crypto';
import type { ColumnType } from '../mirror/tables.js';
import type { SqlDb } from '../mirror/sql.js';
import { listTables, type ArchivedTable } from './schema-introspect.js';
import { schoolFilter } from './school-filter.js';
import { scanTables } from './table-reader.js';

/**
 * A fingerprint of a mirror: per table, the row count and a SHA-256 over a canonical
 * serialisation of every row in primary-key order (history in `record_versions` included).
 * Two mirrors on different engines hash equal when they hold the same data: columns are taken
 * in name order and values are normalised by column type, because the engines disagree on
 * representation (a PostgreSQL bigint may come back as a string, SQLite stores 1.0 as 1…).
 */

export interface TableHash {
  rows: number;
  hash: string;
}

export type MirrorHash = Record<string, TableHash>;

export interface HashMirrorOptions {
  /** Only this school's rows (as `archive create --school` exports them). */
  schoolId?: string | null;
  /** Only these tables; default: every archivable table. */
  tables?: readonly string[];
}

export async function hashMirror(db: SqlDb, options: HashMirrorOptions = {}): Promise<MirrorHash> {
  let tables = await listTables(db);
  if (options.tables) {
    const wanted = new Set(options.tables);
    tables = tables.filter((t) => wanted.has(t.name));
  }
  const state = new Map<
    string,
    { hash: Hash; rows: number; order: number[]; types: ColumnType[] }
  >();
  for (const t of tables) {
    const order = canonicalColumnOrder(t);
    const hash = createHash('sha256');
    hash.update(`${JSON.stringify(order.map((i) => t.columns[i]!.name))}\n`);
    state.set(t.name, { hash, rows: 0, order, types: t.columns.map((c) => c.type) });
  }
  await scanTables(
    db,
    tables,
    (t) => schoolFilter(t, options.schoolId ?? null),
    (table, rows) => {
      const s = state.get(table.name)!;
      for (const row of rows) {
        s.hash.update(`${JSON.stringify(s.order.map((i) => normalise(row[i], s.types[i]!)))}\n`);
        s.rows++;
      }
    },
  );
  const out: MirrorHash = {};
  for (const t of tables) {
    const s = state.get(t.name)!;
    out[t.name] = { rows: s.rows, hash: s.hash.digest('hex') };
  }
  return out;
}

function canonicalColumnOrder(table: ArchivedTable): number[] {
  return table.columns
    .map((c, i) => ({ name: c.name, i }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => c.i);
}

/** One engine-independent representation per value: integers as decimal strings, floats as numbers. */
export function normalise(value: unknown, type: ColumnType): string | number | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  switch (type) {
    case 'integer':
    case 'bigint':
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && Number.isInteger(value)) return String(value);
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value).toString();
      return String(value);
    case 'double precision': {
      const n = Number(value);
      return Number.isNaN(n) ? String(value) : n;
    }
    case 'text':
      return String(value);
  }
}

/** Human-readable differences between two fingerprints; empty when the mirrors are equal. */
export function diffMirrorHashes(a: MirrorHash, b: MirrorHash): string[] {
  const problems: string[] = [];
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[name];
    const y = b[name];
    if (!x) problems.push(`${name}: only in B (${y!.rows} rows)`);
    else if (!y) problems.push(`${name}: only in A (${x.rows} rows)`);
    else if (x.rows !== y.rows) problems.push(`${name}: ${x.rows} rows in A, ${y.rows} in B`);
    else if (x.hash !== y.hash) {
      problems.push(`${name}: same row count (${x.rows}), different content`);
    }
  }
  return problems;
}
