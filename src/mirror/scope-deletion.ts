import type { StreamName } from '../connectors/records.js';
import { addDays } from '../platform/time.js';
import { writeVersions, type WriteContext } from './mirror-writer.js';
import { chunk, placeholders, type SqlExecutor } from './sql.js';
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
  /** Live rows in the scope before this fetch. */
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

function scopeFilter(
  stream: StreamName,
  ctx: WriteContext,
  scope: DeletionScope,
): { where: string; params: unknown[] } | null {
  const spec = tableOf(stream);
  if (!spec.scope) return null;
  const where = ['source = ?', 'school_id = ?', 'deleted_at IS NULL'];
  const params: unknown[] = [ctx.source, ctx.schoolId];
  if (spec.scope.classColumn) {
    if (!scope.classId) return null;
    where.push(`${spec.scope.classColumn} = ?`);
    params.push(scope.classId);
  }
  const win = spec.scope.window;
  if (win) {
    if (!scope.from || !scope.to) return null;
    const toExclusive = addDays(scope.to, 1);
    if ('dateColumn' in win) {
      where.push(`${win.dateColumn} >= ? AND ${win.dateColumn} < ?`);
      params.push(scope.from, toExclusive);
    } else {
      where.push(
        `${win.viaLessons} IN (SELECT id FROM lessons WHERE source = ? AND class_id = ? AND date >= ? AND date < ?)`,
      );
      params.push(ctx.source, scope.classId, scope.from, toExclusive);
    }
  }
  return { where: where.join(' AND '), params };
}

/**
 * Marks deleted the rows of `stream` in `scope` whose ids are not in `seenIds`, unless the
 * mass-deletion guard refuses (then nothing is deleted and `refused` is true).
 */
export async function deleteMissing(
  tx: SqlExecutor,
  stream: StreamName,
  scope: DeletionScope,
  seenIds: ReadonlySet<string>,
  ctx: WriteContext,
  guard: MassDeletionGuard,
): Promise<DeletionResult> {
  const result: DeletionResult = { stream, live: 0, missing: 0, deleted: 0, refused: false };
  const filter = scopeFilter(stream, ctx, scope);
  if (!filter) return result;
  const spec = tableOf(stream);
  const rows = await tx.query<Candidate & Record<string, unknown>>(
    `SELECT id, version, content_hash FROM ${spec.table} WHERE ${filter.where}`,
    filter.params,
  );
  result.live = rows.length;
  const missing = rows.filter((r) => !seenIds.has(r.id));
  result.missing = missing.length;
  if (missing.length === 0) return result;
  if (missing.length >= guard.minRows && missing.length > guard.maxShare * rows.length) {
    result.refused = true;
    return result;
  }

  const versions = [];
  for (const part of chunk(missing, 500)) {
    const ids = part.map((r) => r.id);
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
  result.deleted = missing.length;
  return result;
}
