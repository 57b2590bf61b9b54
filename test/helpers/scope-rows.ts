import type { StreamName } from '../../src/connectors/records.js';
import type { SqlExecutor } from '../../src/mirror/sql.js';
import { tableOf } from '../../src/mirror/tables.js';
import { addDays } from '../../src/platform/time.js';

/**
 * What a checkpoint claims, checked against the rows: the live rows of one stream inside one
 * written scope (its class and date window, selected the way deletion inference selects them),
 * as sorted `id=content_hash` lines. Two mirrors with equal lines hold the same scope.
 */

export interface CheckpointScope {
  scope_key: string;
  school_id: string;
  class_id: string | null;
  streams: string;
  window_from: string | null;
  window_to: string | null;
}

export async function checkpointsOf(db: SqlExecutor, runId: string): Promise<CheckpointScope[]> {
  return db.query<CheckpointScope & Record<string, unknown>>(
    'SELECT scope_key, school_id, class_id, streams, window_from, window_to FROM sync_checkpoints WHERE sync_run_id = ? ORDER BY scope_key',
    [runId],
  );
}

/** Whether a stream's rows can be selected by scope (persons and schools cannot). */
export function scoped(stream: StreamName): boolean {
  return tableOf(stream).scope !== null;
}

export async function scopeLines(
  db: SqlExecutor,
  scope: CheckpointScope,
  stream: StreamName,
): Promise<string[]> {
  const spec = tableOf(stream);
  if (!spec.scope) throw new Error(`${stream} rows cannot be selected by scope`);
  const where = ['school_id = ?', 'deleted_at IS NULL'];
  const params: unknown[] = [scope.school_id];
  if (spec.scope.classColumn && scope.class_id) {
    where.push(`${spec.scope.classColumn} = ?`);
    params.push(scope.class_id);
  }
  const win = spec.scope.window;
  if (win && scope.window_from && scope.window_to) {
    const toExclusive = addDays(scope.window_to, 1);
    if ('dateColumn' in win) {
      where.push(`${win.dateColumn} >= ? AND ${win.dateColumn} < ?`);
      params.push(scope.window_from, toExclusive);
    } else {
      where.push(
        `${win.viaLessons} IN (SELECT id FROM lessons WHERE class_id = ? AND date >= ? AND date < ?)`,
      );
      params.push(scope.class_id, scope.window_from, toExclusive);
    }
  }
  const rows = await db.query<{ id: string; content_hash: string }>(
    `SELECT id, content_hash FROM ${spec.table} WHERE ${where.join(' AND ')}`,
    params,
  );
  return rows.map((r) => `${r.id}=${r.content_hash}`).sort();
}

/** Every live row of a stream in the school, as `id=content_hash` lines. */
export async function streamLines(
  db: SqlExecutor,
  schoolId: string,
  stream: StreamName,
): Promise<string[]> {
  const rows = await db.query<{ id: string; content_hash: string }>(
    `SELECT id, content_hash FROM ${tableOf(stream).table} WHERE school_id = ? AND deleted_at IS NULL`,
    [schoolId],
  );
  return rows.map((r) => `${r.id}=${r.content_hash}`).sort();
}
