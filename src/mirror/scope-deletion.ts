import type { StreamName } from '../connectors/records.js';
import { addDays } from '../platform/time.js';
import { writeVersions, type WriteContext } from './mirror-writer.js';
import { chunk, padIds, placeholders, type SqlExecutor } from './sql.js';
import { tableOf } from './tables.js';

/**
 * Deletion inference: a row is deleted only when a complete fetch of its whole scope did not
 * return it. The deletion is a fact with a time (a version of kind `delete`), never a missing row.
 */

export interface DeletionScope {
  classId?: string;
  from?: string;
  to?: string;
}

export interface MassDeletionGuard {
  /** Refuse when more than this share of the scope's live rows would be deleted (0.2 = 20 %). */
  maxShare: number;
  /** Deletions below this count are always applied (a teacher removing two marks is normal). */
  minRows: number;
}

export interface DeletionResult {
  stream: StreamName;
  /**
   * Live rows in the scope, the guard's denominator: counted after the fetch's rows are written
   * when some rows are missing; when none are, the rows the scope held before.
   */
  live: number;
  /** Rows that the fetch did not return. */
  missing: number;
  deleted: number;
  refused: boolean;
}

interface Candidate {
  id: string;
  version: number;
  content_hash: string;
}

/**
 * The scope's live rows of a stream as `SELECT ... FROM ${from} WHERE ${where}`, the table aliased
 * `t`. Rows scoped through lessons are reached from the window's lessons by a join (the planner
 * then walks the lessons of the window and the `lesson_id` index, not every row of the class).
 */
function scopeFilter(
  stream: StreamName,
  ctx: WriteContext,
  scope: DeletionScope,
): { from: string; where: string; params: unknown[] } | null {
  const spec = tableOf(stream);
  if (!spec.scope) return null;
  let from = `${spec.table} t`;
  const where: string[] = [];
  const params: unknown[] = [];
  const win = spec.scope.window;
  if (win) {
    if (!scope.from || !scope.to || (!('dateColumn' in win) && !scope.classId)) return null;
    const toExclusive = addDays(scope.to, 1);
    if ('dateColumn' in win) {
      where.push(`t.${win.dateColumn} >= ? AND t.${win.dateColumn} < ?`);
      params.push(scope.from, toExclusive);
    } else {
      // Lesson ids are unique per source, so the join yields each row once.
      from = `lessons l JOIN ${spec.table} t ON t.${win.viaLessons} = l.id`;
      where.push('l.source = ? AND l.class_id = ? AND l.date >= ? AND l.date < ?');
      params.push(ctx.source, scope.classId, scope.from, toExclusive);
    }
  }
  where.push('t.source = ?', 't.school_id = ?', 't.deleted_at IS NULL');
  params.push(ctx.source, ctx.schoolId);
  if (spec.scope.classColumn) {
    if (!scope.classId) return null;
    where.push(`t.${spec.scope.classColumn} = ?`);
    params.push(scope.classId);
  }
  return { from, where: where.join(' AND '), params };
}

/** The scope's live rows that a complete fetch did not return, read by `findMissing`. */
export interface MissingRows {
  stream: StreamName;
  scope: DeletionScope;
  /** Live rows in the scope before the write. */
  before: number;
  rows: Candidate[];
}

/**
 * The first half of a deletion inference, read before the fetch's rows of `stream` are written:
 * the scope's live rows whose ids the fetch did not return. Those rows are the same before and
 * after the write (it touches only returned ids), so reading them first costs a scan of what the
 * scope held before (nothing on a first sync) instead of one of everything just written. A
 * stream scoped through lessons is read after the fetch's lessons are written. Null when the
 * stream is never inferred deleted in such a scope.
 */
export async function findMissing(
  tx: SqlExecutor,
  stream: StreamName,
  scope: DeletionScope,
  seenIds: ReadonlySet<string>,
  ctx: WriteContext,
): Promise<MissingRows | null> {
  const filter = scopeFilter(stream, ctx, scope);
  if (!filter) return null;
  const rows = await tx.query<Candidate & Record<string, unknown>>(
    `SELECT t.id, t.version, t.content_hash FROM ${filter.from} WHERE ${filter.where}`,
    filter.params,
  );
  return { stream, scope, before: rows.length, rows: rows.filter((r) => !seenIds.has(r.id)) };
}

/**
 * The second half, after the fetch's rows are written: marks the missing rows deleted, unless
 * the mass-deletion guard refuses (then nothing is deleted and `refused` is true). The guard's
 * share is of the scope's live rows as written now, counted only when something is missing.
 */
export async function deleteRows(
  tx: SqlExecutor,
  missing: MissingRows,
  ctx: WriteContext,
  guard: MassDeletionGuard,
): Promise<DeletionResult> {
  const { stream } = missing;
  const result: DeletionResult = {
    stream,
    live: missing.before,
    missing: missing.rows.length,
    deleted: 0,
    refused: false,
  };
  if (missing.rows.length === 0) return result;
  const filter = scopeFilter(stream, ctx, missing.scope)!;
  const spec = tableOf(stream);
  const live = await tx.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM ${filter.from} WHERE ${filter.where}`,
    filter.params,
  );
  result.live = Number(live[0]?.n ?? 0);
  if (missing.rows.length >= guard.minRows && missing.rows.length > guard.maxShare * result.live) {
    result.refused = true;
    return result;
  }

  const versions = [];
  for (const part of chunk(missing.rows, 512)) {
    const ids = padIds(part.map((r) => r.id));
    const payloads = await tx.query<{ record_id: string; version: number; payload: string }>(
      `SELECT record_id, version, payload FROM record_versions
       WHERE entity = ? AND source = ? AND record_id IN (${placeholders(ids.length)})`,
      [stream, ctx.source, ...ids],
    );
    const last = new Map<string, string>();
    const lastVersion = new Map<string, number>();
    for (const p of payloads) {
      if ((lastVersion.get(p.record_id) ?? -1) < p.version) {
        lastVersion.set(p.record_id, p.version);
        last.set(p.record_id, p.payload);
      }
    }
    await tx.run(
      `UPDATE ${spec.table} SET deleted_at = ?, version = version + 1 WHERE source = ? AND id IN (${placeholders(ids.length)})`,
      [ctx.observedAt, ctx.source, ...ids],
    );
    for (const r of part) {
      versions.push({
        id: r.id,
        version: r.version + 1,
        kind: 'delete' as const,
        hash: r.content_hash,
        json: last.get(r.id) ?? '{}',
      });
    }
  }
  await writeVersions(tx, stream, versions, ctx);
  result.deleted = missing.rows.length;
  return result;
}

/**
 * Marks deleted the rows of `stream` in `scope` whose ids are not in `seenIds` (the fetch's rows
 * already written), unless the mass-deletion guard refuses.
 */
export async function deleteMissing(
  tx: SqlExecutor,
  stream: StreamName,
  scope: DeletionScope,
  seenIds: ReadonlySet<string>,
  ctx: WriteContext,
  guard: MassDeletionGuard,
): Promise<DeletionResult> {
  const missing = await findMissing(tx, stream, scope, seenIds, ctx);
  if (!missing) return { stream, live: 0, missing: 0, deleted: 0, refused: false };
  return deleteRows(tx, missing, ctx, guard);
}
