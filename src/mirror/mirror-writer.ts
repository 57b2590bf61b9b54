import type { PersonRecord, StreamName, StreamRecords } from '../connectors/records.js';
import { canonicalJson, sha1 } from './hash.js';
import { minimizePerson } from './privacy.js';
import {
  chunk,
  insertRows,
  padIds,
  placeholders,
  type InsertShape,
  type SqlExecutor,
} from './sql.js';
import { COMMON_COLUMNS, tableOf, type TableSpec } from './tables.js';

/**
 * The mirror's write path, built for volume: a batch of normalized records is looked up in a few
 * IN-list queries and upserted inside the caller's transaction (`insertRows`: one cached
 * prepared statement run row by row on SQLite, multi-row statements on PostgreSQL), and every
 * insert, real change, restoration and deletion writes a version row in that same transaction.
 * An unchanged record only moves `last_seen_at`.
 */

export interface WriteContext {
  source: string;
  schoolId: string;
  /** The school's IANA zone. */
  zone: string;
  /** When ezh saw these records (epoch ms). */
  observedAt: number;
  syncRunId: string | null;
  /** Consent to data processing, per person id (152-ФЗ); default: no consent. */
  isConsented?: (personId: string) => boolean;
}

export interface UpsertCounts {
  inserted: number;
  changed: number;
  unchanged: number;
  /** Rows that were marked deleted and came back. Counted in `changed` too. */
  restored: number;
}

export type ChangeKind = 'insert' | 'update' | 'delete' | 'restore';

interface Existing {
  id: string;
  content_hash: string;
  version: number;
  deleted_at: number | null;
}

/** Ids per lookup or `last_seen_at` statement (a power of two: see `padIds`). */
const LOOKUP_CHUNK = 512;
export const VERSION_COLUMNS = [
  'entity',
  'source',
  'record_id',
  'version',
  'school_id',
  'change_kind',
  'observed_at',
  'content_hash',
  'payload',
  'sync_run_id',
];

export interface UpsertOptions {
  /**
   * Canonical JSON already computed for some of these records, by record object (the sync
   * computes it for the scope's hash): used for a record stored as it came, i.e. not minimized.
   */
  canonical?: ReadonlyMap<object, string>;
}

/**
 * Serializes the platform's mirror writes across processes until the transaction ends. A write
 * reads the current rows, then writes each record's next version: two workers writing the same
 * record at once (a student in a class's roster and a subgroup's, a teacher of two schools) would
 * both read the same row and write the same version, and one would fail on the versions' key.
 * PostgreSQL only: SQLite has one writer at a time anyway. Writes are short next to the fetches
 * that precede them, so workers still overlap where it matters. Re-entrant within a transaction.
 */
export async function lockMirrorWrites(tx: SqlExecutor, source: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext(?)) AS locked', [`ezh-mirror:${source}`]);
}

export async function upsertRecords<S extends StreamName>(
  tx: SqlExecutor,
  stream: S,
  records: readonly StreamRecords[S][],
  ctx: WriteContext,
  options: UpsertOptions = {},
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, changed: 0, unchanged: 0, restored: 0 };
  if (records.length === 0) return counts;
  const spec = tableOf(stream);
  await lockMirrorWrites(tx, ctx.source);

  // The last record wins when a batch repeats an id (the platform sometimes lists a row twice).
  const byId = new Map<string, StreamRecords[S]>();
  for (const r of records) byId.set(r.id, prepare(stream, r, ctx));

  const existing = await loadExisting(tx, spec, ctx.source, [...byId.keys()]);
  // Statement rows are built as the records are classified: the mirrored row and its version.
  const rows: unknown[][] = [];
  const versions: unknown[][] = [];
  const unchangedIds: string[] = [];
  // Lazy: only streams with local times read the zone (the school scope of a first sync has none yet).
  const rowCtx = {
    get zone() {
      return ctx.zone;
    },
  };

  for (const [id, record] of byId) {
    // A minimized person is a new object: never found in `canonical`, serialized here.
    const json = options.canonical?.get(record) ?? canonicalJson(record);
    const hash = sha1(json);
    const prev = existing.get(id);
    let version = 1;
    let kind: ChangeKind = 'insert';
    if (!prev) {
      counts.inserted++;
    } else if (prev.deleted_at !== null) {
      version = prev.version + 1;
      kind = 'restore';
      counts.changed++;
      counts.restored++;
    } else if (prev.content_hash !== hash) {
      version = prev.version + 1;
      kind = 'update';
      counts.changed++;
    } else {
      unchangedIds.push(id);
      counts.unchanged++;
      continue;
    }
    rows.push([
      ctx.source,
      id,
      ctx.schoolId,
      hash,
      version,
      ctx.observedAt,
      ctx.observedAt,
      null,
      ...spec.toRow(record, rowCtx),
    ]);
    versions.push(versionRow(stream, { id, version, kind, hash, json }, ctx));
  }

  await insertRows(tx, upsertShape(spec), rows);
  await insertRows(tx, VERSIONS_SHAPE, versions);
  await touchRows(tx, spec.table, unchangedIds, ctx);
  return counts;
}

/** Moves `last_seen_at` of rows that are still there, unchanged. */
export async function touchRows(
  tx: SqlExecutor,
  table: string,
  ids: readonly string[],
  ctx: Pick<WriteContext, 'source' | 'observedAt'>,
): Promise<void> {
  for (const part of chunk(ids, LOOKUP_CHUNK)) {
    const padded = padIds(part);
    await tx.run(
      `UPDATE ${table} SET last_seen_at = ? WHERE source = ? AND id IN (${placeholders(padded.length)})`,
      [ctx.observedAt, ctx.source, ...padded],
    );
  }
}

/**
 * The `content_hash` the mirror keeps for a normalized record (persons minimized without consent
 * first). `ezh verify-mirror` hashes the platform's records with it: equal hash, equal row.
 */
export function contentHashOf<S extends StreamName>(
  stream: S,
  record: StreamRecords[S],
  ctx: Pick<WriteContext, 'isConsented'>,
): string {
  return sha1(canonicalJson(prepare(stream, record, ctx)));
}

function prepare<S extends StreamName>(
  stream: S,
  record: StreamRecords[S],
  ctx: Pick<WriteContext, 'isConsented'>,
): StreamRecords[S] {
  if (stream !== 'persons') return record;
  const person = record as PersonRecord;
  const consented = person.consent === true || (ctx.isConsented?.(person.id) ?? false);
  return minimizePerson(person, consented) as StreamRecords[S];
}

async function loadExisting(
  tx: SqlExecutor,
  spec: TableSpec,
  source: string,
  ids: string[],
): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  for (const part of chunk(ids, LOOKUP_CHUNK)) {
    const padded = padIds(part);
    const rows = await tx.query<Existing & Record<string, unknown>>(
      `SELECT id, content_hash, version, deleted_at FROM ${spec.table} WHERE source = ? AND id IN (${placeholders(padded.length)})`,
      [source, ...padded],
    );
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}

const upsertShapes = new Map<string, InsertShape>();

/** INSERT of a table's rows that replaces every column but the key and `first_seen_at`. */
function upsertShape(spec: TableSpec): InsertShape {
  let shape = upsertShapes.get(spec.table);
  if (!shape) {
    const columns = [...COMMON_COLUMNS.map((c) => c.name), ...spec.columns.map((c) => c.name)];
    const updatable = columns.filter((c) => c !== 'source' && c !== 'id' && c !== 'first_seen_at');
    shape = {
      table: spec.table,
      columns,
      conflict: `ON CONFLICT (source, id) DO UPDATE SET ${updatable.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    };
    upsertShapes.set(spec.table, shape);
  }
  return shape;
}

export interface VersionWrite {
  id: string;
  version: number;
  kind: ChangeKind;
  hash: string;
  json: string;
}

const VERSIONS_SHAPE: InsertShape = { table: 'record_versions', columns: VERSION_COLUMNS };

function versionRow(stream: StreamName, v: VersionWrite, ctx: WriteContext): unknown[] {
  return [
    stream,
    ctx.source,
    v.id,
    v.version,
    ctx.schoolId,
    v.kind,
    ctx.observedAt,
    v.hash,
    v.json,
    ctx.syncRunId,
  ];
}

export async function writeVersions(
  tx: SqlExecutor,
  stream: StreamName,
  versions: VersionWrite[],
  ctx: WriteContext,
): Promise<void> {
  await insertRows(
    tx,
    VERSIONS_SHAPE,
    versions.map((v) => versionRow(stream, v, ctx)),
  );
}
