import type { SqlExecutor } from '../mirror/sql.js';
import type { CheckpointInfo } from './planner.js';
import type { PlannedScope } from './scope.js';

/**
 * Checkpoints (`sync_checkpoints`): one row per scope, written in the same transaction as the
 * scope's rows, so "checkpoint exists" always means "these rows are in the mirror".
 */

export interface CheckpointRow {
  scope_key: string;
  completed_at: number;
  sync_run_id: string;
  records: number;
  scope_hash: string | null;
}

export async function loadCheckpoints(
  db: SqlExecutor,
  schoolId: string,
): Promise<Map<string, CheckpointInfo>> {
  const rows = await db.query<{ scope_key: string; completed_at: number; sync_run_id: string }>(
    'SELECT scope_key, completed_at, sync_run_id FROM sync_checkpoints WHERE school_id = ?',
    [schoolId],
  );
  return new Map(
    rows.map((r) => [
      r.scope_key,
      { completedAt: Number(r.completed_at), syncRunId: r.sync_run_id },
    ]),
  );
}

export async function getCheckpoint(db: SqlExecutor, key: string): Promise<CheckpointRow | null> {
  const rows = await db.query<CheckpointRow & Record<string, unknown>>(
    'SELECT scope_key, completed_at, sync_run_id, records, scope_hash FROM sync_checkpoints WHERE scope_key = ?',
    [key],
  );
  const row = rows[0];
  return row
    ? { ...row, completed_at: Number(row.completed_at), records: Number(row.records) }
    : null;
}

/** Whether the school has window checkpoints written by a run other than `runId` (not a first run). */
export async function hasWindowHistory(
  db: SqlExecutor,
  schoolId: string,
  runId: string,
): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 AS x FROM sync_checkpoints WHERE school_id = ? AND window_from IS NOT NULL AND sync_run_id <> ? LIMIT 1',
    [schoolId, runId],
  );
  return rows.length > 0;
}

/**
 * Whether another scope over some of the same dates and streams was written after `since`: then
 * the mirror may differ from what this scope's hash describes, and the scope is written in full.
 */
export async function overlappedSince(
  db: SqlExecutor,
  scope: PlannedScope,
  since: number,
): Promise<boolean> {
  if (!scope.from || !scope.to || !scope.classId) return false;
  const rows = await db.query(
    `SELECT 1 AS x FROM sync_checkpoints
     WHERE school_id = ? AND class_id = ? AND streams = ? AND scope_key <> ?
       AND window_from <= ? AND window_to >= ? AND completed_at > ? LIMIT 1`,
    [
      scope.schoolId,
      scope.classId,
      scope.streams.join('+'),
      scope.key,
      scope.to,
      scope.from,
      since,
    ],
  );
  return rows.length > 0;
}

export async function writeCheckpoint(
  tx: SqlExecutor,
  scope: PlannedScope,
  values: { completedAt: number; runId: string; records: number; scopeHash: string | null },
): Promise<void> {
  await tx.run(
    `INSERT INTO sync_checkpoints (scope_key, school_id, class_id, streams, window_from, window_to, completed_at, sync_run_id, records, scope_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope_key) DO UPDATE SET completed_at = excluded.completed_at, sync_run_id = excluded.sync_run_id,
       records = excluded.records, scope_hash = excluded.scope_hash`,
    [
      scope.key,
      scope.schoolId,
      scope.classId,
      scope.streams.join('+'),
      scope.from,
      scope.to,
      values.completedAt,
      values.runId,
      values.records,
      values.scopeHash,
    ],
  );
}
