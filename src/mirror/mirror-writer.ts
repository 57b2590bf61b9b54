import type { PersonRecord, StreamName, StreamRecords } from '../connectors/records.js';
import { canonicalJson, sha1 } from './hash.js';
import { minimizePerson } from './privacy.js';
import { chunk, placeholders, valuesClause, type SqlExecutor } from './sql.js';
import { COMMON_COLUMNS, tableOf, type TableSpec } from './tables.js';

/**
 * The mirror's write path, built for volume: a batch of normalized records is upserted in a few
 * multi-row statements inside the caller's transaction, and every insert, real change,
 * restoration and deletion writes a version row in that same transaction. An unchanged record
 * only moves `last_seen_at`.
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

// Statement sizes: SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535.
const LOOKUP_CHUNK = 500;
const MAX_PARAMS_PER_INSERT = 8000;
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

export async function upsertRecords<S extends StreamName>(
  tx: SqlExecutor,
  stream: S,
  records: readonly StreamRecords[S][],
  ctx: WriteContext,
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, changed: 0, unchanged: 0, restored: 0 };
  if (records.length === 0) return counts;
  const spec = tableOf(stream);

  // The last record wins when a batch repeats an id (the platform sometimes lists a row twice).
  const byId = new Map<string, StreamRecords[S]>();
  for (const r of records) byId.set(r.id, prepare(stream, r, ctx));

  const existing = await loadExisting(tx, spec, ctx.source, [...byId.keys()]);
  const writes: {
    record: StreamRecords[S];
    json: string;
    hash: string;
    version: number;
    kind: ChangeKind;
  }[] = [];
  const unchangedIds: string[] = [];

  for (const [id, record] of byId) {
    const json = canonicalJson(record);
    const hash = sha1(json);
    const prev = existing.get(id);
    if (!prev) {
      writes.push({ record, json, hash, version: 1, kind: 'insert' });
      counts.inserted++;
    } else if (prev.deleted_at !== null) {
      writes.push({ record, json, hash, version: prev.version + 1, kind: 'restore' });
      counts.changed++;
      counts.restored++;
    } else if (prev.content_hash !== hash) {
      writes.push({ record, json, hash, version: prev.version + 1, kind: 'update' });
      counts.changed++;
    } else {
      unchangedIds.push(id);
      counts.unchanged++;
    }
  }

  await writeRows(tx, spec, writes, ctx);
  await writeVersions(
    tx,
    stream,
    writes.map((w) => ({
      id: w.record.id,
      version: w.version,
      kind: w.kind,
      hash: w.hash,
      json: w.json,
    })),
    ctx,
  );
  for (const ids of chunk(unchangedIds, LOOKUP_CHUNK)) {
    await tx.run(
      `UPDATE ${spec.table} SET last_seen_at = ? WHERE source = ? AND id IN (${placeholders(ids.length)})`,
      [ctx.observedAt, ctx.source, ...ids],
    );
  }
  return counts;
}

function prepare<S extends StreamName>(
  stream: S,
  record: StreamRecords[S],
  ctx: WriteContext,
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
    const rows = await tx.query<Existing & Record<string, unknown>>(
      `SELECT id, content_hash, version, deleted_at FROM ${spec.table} WHERE source = ? AND id IN (${placeholders(part.length)})`,
      [source, ...part],
    );
    for (const row of rows) out.set(row.id, row);
  }
  return out;
}

async function writeRows<S extends StreamName>(
  tx: SqlExecutor,
  spec: TableSpec<S>,
  writes: { record: StreamRecords[S]; hash: string; version: number; kind: ChangeKind }[],
  ctx: WriteContext,
): Promise<void> {
  if (writes.length === 0) return;
  const columns = [...COMMON_COLUMNS.map((c) => c.name), ...spec.columns.map((c) => c.name)];
  const updatable = columns.filter((c) => c !== 'source' && c !== 'id' && c !== 'first_seen_at');
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS_PER_INSERT / columns.length));
  const rowCtx = { zone: ctx.zone };
  for (const part of chunk(writes, perStatement)) {
    const params: unknown[] = [];
    for (const w of part) {
      params.push(
        ctx.source,
        w.record.id,
        ctx.schoolId,
        w.hash,
        w.version,
        ctx.observedAt,
        ctx.observedAt,
        null,
        ...spec.toRow(w.record, rowCtx),
      );
    }
    await tx.run(
      `INSERT INTO ${spec.table} (${columns.join(', ')}) VALUES ${valuesClause(part.length, columns.length)}
       ON CONFLICT (source, id) DO UPDATE SET ${updatable.map((c) => `${c} = excluded.${c}`).join(', ')}`,
      params,
    );
  }
}

export interface VersionWrite {
  id: string;
  version: number;
  kind: ChangeKind;
  hash: string;
  json: string;
}

export async function writeVersions(
  tx: SqlExecutor,
  stream: StreamName,
  versions: VersionWrite[],
  ctx: WriteContext,
): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMS_PER_INSERT / VERSION_COLUMNS.length);
  for (const part of chunk(versions, perStatement)) {
    const params: unknown[] = [];
    for (const v of part) {
      params.push(
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
      );
    }
    await tx.run(
      `INSERT INTO record_versions (${VERSION_COLUMNS.join(', ')}) VALUES ${valuesClause(part.length, VERSION_COLUMNS.length)}`,
      params,
    );
  }
}
