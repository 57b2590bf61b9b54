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
  /**
   * Deletions below this count pass the share tests (a teacher removing two marks is normal).
   * A whole scope or a whole parent emptied is held back whatever this says.
   */
  minRows: number;
  /** A parent (lesson) that held at least this many rows and lost all of them is held back. */
  parentMinRows?: number;
  /** Cumulative test: the scope's rows deleted since this instant count with this run's. */
  windowSince?: number | null;
  /** Share of the scope's rows that may go within the window, this run's deletions included. */
  windowMaxShare?: number;
  /** An operator confirmed the held-back deletions: every test is lifted for this run. */
  lifted?: boolean;
}

/** Why the guard held a scope's deletions back. */
export type HoldReason = 'scope-emptied' | 'parent-emptied' | 'share' | 'window';

/**
 * Parents the fetch could not read (quarantined): the rows under them are never inferred deleted.
 * `all`: parent streams with a quarantined record whose id is unknown (every child is held).
 */
export interface ParentHolds {
  all: ReadonlySet<StreamName>;
  ids: ReadonlyMap<StreamName, ReadonlySet<string>>;
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
  /** Set when `refused`. */
  reason: HoldReason | null;
  /** Rows of the scope deleted earlier within the guard's window (0 when not counted). */
  windowDeleted: number;
}

interface Candidate {
  id: string;
  version: number;
  content_hash: string;
  /** The first parent's id (the lesson), when the stream has parents. */
  parent: string | null;
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
  deletedSince: number | null = null,
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
  where.push(
    't.source = ?',
    't.school_id = ?',
    deletedSince === null ? 't.deleted_at IS NULL' : 't.deleted_at >= ?',
  );
  params.push(ctx.source, ctx.schoolId);
  if (deletedSince !== null) params.push(deletedSince);
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
  /** Missing rows kept because their parent could not be read (see `ParentHolds`). */
  heldByParent: number;
}

const NO_HOLDS: ParentHolds = { all: new Set(), ids: new Map() };

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
  holds: ParentHolds = NO_HOLDS,
): Promise<MissingRows | null> {
  const filter = scopeFilter(stream, ctx, scope);
  if (!filter) return null;
  const parents = tableOf(stream).parents ?? [];
  const parentColumns = parents.map((p, i) => `, t.${p.column} AS p${i}`).join('');
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT t.id, t.version, t.content_hash${parentColumns} FROM ${filter.from} WHERE ${filter.where}`,
    filter.params,
  );
  const out: Candidate[] = [];
  let heldByParent = 0;
  for (const r of rows) {
    const id = String(r.id);
    if (seenIds.has(id)) continue;
    const underHeldParent = parents.some((p, i) => {
      const parentId = r[`p${i}`];
      return (
        holds.all.has(p.stream) ||
        (parentId !== null &&
          parentId !== undefined &&
          holds.ids.get(p.stream)?.has(String(parentId)) === true)
      );
    });
    if (underHeldParent) {
      heldByParent++;
      continue;
    }
    out.push({
      id,
      version: Number(r.version),
      content_hash: String(r.content_hash),
      parent: r.p0 === null || r.p0 === undefined ? null : String(r.p0),
    });
  }
  return { stream, scope, before: rows.length, rows: out, heldByParent };
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
    reason: null,
    windowDeleted: 0,
  };
  if (missing.rows.length === 0) return result;
  const filter = scopeFilter(stream, ctx, missing.scope)!;
  const spec = tableOf(stream);
  result.live = await countRows(tx, filter);
  if (!guard.lifted) {
    result.reason = await holdReason(tx, missing, ctx, guard, result);
    if (result.reason !== null) {
      result.refused = true;
      return result;
    }
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

async function countRows(
  tx: SqlExecutor,
  filter: { from: string; where: string; params: unknown[] },
): Promise<number> {
  const rows = await tx.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM ${filter.from} WHERE ${filter.where}`,
    filter.params,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * The mass-deletion guard: why these deletions must wait for an operator, or null. A platform
 * that answers `[]` by mistake empties a whole scope or parent however small it is, and one that
 * loses a little on every run wears a scope away below the per-run share: both are held back.
 */
async function holdReason(
  tx: SqlExecutor,
  missing: MissingRows,
  ctx: WriteContext,
  guard: MassDeletionGuard,
  result: DeletionResult,
): Promise<HoldReason | null> {
  const n = missing.rows.length;
  if (n >= result.live) return 'scope-emptied';
  if (await parentEmptied(tx, missing, ctx, guard.parentMinRows ?? Infinity)) {
    return 'parent-emptied';
  }
  if (n >= guard.minRows && n > guard.maxShare * result.live) return 'share';
  if (guard.windowSince !== null && guard.windowSince !== undefined) {
    const earlier = scopeFilter(missing.stream, ctx, missing.scope, guard.windowSince)!;
    result.windowDeleted = await countRows(tx, earlier);
    const together = result.windowDeleted + n;
    const share = guard.windowMaxShare ?? 1;
    if (together >= guard.minRows && together > share * (result.live + result.windowDeleted)) {
      return 'window';
    }
  }
  return null;
}

/**
 * Whether some live parent (lesson) that held at least `minRows` rows of the stream would lose
 * all of them. A parent deleted in the same fetch takes its rows with it: that is no emptying.
 */
async function parentEmptied(
  tx: SqlExecutor,
  missing: MissingRows,
  ctx: WriteContext,
  minRows: number,
): Promise<boolean> {
  const parent = tableOf(missing.stream).parents?.[0];
  if (!parent) return false;
  const byParent = new Map<string, number>();
  for (const r of missing.rows) {
    if (r.parent !== null) byParent.set(r.parent, (byParent.get(r.parent) ?? 0) + 1);
  }
  const candidates = [...byParent].filter(([, n]) => n >= minRows).map(([id]) => id);
  const table = tableOf(missing.stream).table;
  const parentTable = tableOf(parent.stream).table;
  for (const part of chunk(candidates, 512)) {
    const ids = padIds(part);
    const live = await tx.query<{ p: string; n: number | string }>(
      `SELECT t.${parent.column} AS p, count(*) AS n FROM ${table} t
       WHERE t.source = ? AND t.deleted_at IS NULL AND t.${parent.column} IN (${placeholders(ids.length)})
       GROUP BY t.${parent.column}`,
      [ctx.source, ...ids],
    );
    const emptied = live
      .filter((r) => Number(r.n) === byParent.get(String(r.p)))
      .map((r) => String(r.p));
    if (emptied.length === 0) continue;
    const alive = await tx.query<{ id: string }>(
      `SELECT id FROM ${parentTable} WHERE source = ? AND deleted_at IS NULL AND id IN (${placeholders(emptied.length)})`,
      [ctx.source, ...emptied],
    );
    if (alive.length > 0) return true;
  }
  return false;
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
  if (!missing) {
    return {
      stream,
      live: 0,
      missing: 0,
      deleted: 0,
      refused: false,
      reason: null,
      windowDeleted: 0,
    };
  }
  return deleteRows(tx, missing, ctx, guard);
}
