import * as syncRuns from '../mirror/repositories/sync-runs.js';
import type { RunRow, StreamStats } from '../mirror/repositories/sync-runs.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { requestKey, type SyncRequest } from './request.js';

// The statements live in the repository; callers of the sync keep importing them from here.
export {
  addStreamStats,
  countDoneScopes,
  finishRun,
  getRun,
  markRunning,
  recordScopeDone,
  setScopesTotal,
  streamStatsOf,
  type RunRow,
  type RunStatus,
  type StreamStats,
} from '../mirror/repositories/sync-runs.js';

/**
 * Sync runs (`sync_runs`) and their per-stream statistics (`sync_run_streams`) as the sync sees
 * them: what a run's notes hold and which run resumes which. A run row is written before any
 * scope, so a killed run is visible (status `running`, no finish time) and the next run can
 * resume it. The SQL is in src/mirror/repositories/sync-runs.ts.
 */

export interface RunNotes {
  request: SyncRequest;
  /** Deletions the mass-deletion guard refused, one per scope and stream. */
  refusals?: { scope: string; stream: string; live: number; missing: number; reason?: string }[];
  /** Streams that had records quarantined in this run. */
  drift?: { stream: string; count: number }[];
}

export const zeroStats = (): StreamStats => ({
  requests: 0,
  retries: 0,
  inserted: 0,
  changed: 0,
  unchanged: 0,
  deleted: 0,
  quarantined: 0,
  errors: 0,
  durationMs: 0,
});

export function parseNotes(row: Pick<RunRow, 'notes'>): RunNotes | null {
  if (!row.notes) return null;
  try {
    return JSON.parse(row.notes) as RunNotes;
  } catch {
    return null;
  }
}

/**
 * The school's latest run, if it did not succeed, asked for the same thing and is recent enough:
 * the next run continues it (its finished scopes are skipped) instead of starting over.
 */
export async function findResumableRun(
  db: SqlExecutor,
  schoolId: string,
  request: SyncRequest,
  notBefore: number,
): Promise<RunRow | null> {
  const last = await syncRuns.latestRunOf(db, schoolId);
  if (!last || last.status === 'succeeded' || last.status === 'held') return null;
  if (last.started_at < notBefore) return null;
  const notes = parseNotes(last);
  if (!notes || requestKey(notes.request) !== requestKey(request)) return null;
  return last;
}

/** Creates the run row; a second call with the same id (a retried job) leaves it as it is. */
export async function beginRun(
  db: SqlExecutor,
  run: { id: string; schoolId: string; source: string; request: SyncRequest; startedAt: number },
): Promise<RunRow> {
  const notes: RunNotes = { request: run.request };
  await syncRuns.insertRun(db, {
    id: run.id,
    schoolId: run.schoolId,
    source: run.source,
    mode: run.request.mode,
    startedAt: run.startedAt,
    notes: JSON.stringify(notes),
  });
  const row = await syncRuns.getRun(db, run.id);
  if (!row) throw new Error(`sync run ${run.id} was not recorded`);
  return row;
}

/** Appends to the run's notes inside the scope's transaction (row-locked on PostgreSQL). */
export async function appendNotes(
  tx: SqlExecutor,
  runId: string,
  edit: (notes: RunNotes) => void,
): Promise<void> {
  const stored = await syncRuns.readNotesForUpdate(tx, runId);
  const notes = parseNotes({ notes: stored }) ?? { request: { mode: 'incremental' } };
  edit(notes);
  await syncRuns.writeNotes(tx, runId, JSON.stringify(notes));
}

/**
 * When the school's last confirmation run (`ezh sync --confirm-deletions`) finished: deletions
 * before it were confirmed by an operator and no longer count in the guard's window.
 */
export async function lastConfirmation(db: SqlExecutor, schoolId: string): Promise<number | null> {
  return syncRuns.lastFinishedOfMode(db, schoolId, 'confirm');
}

/**
 * Runs still marked running (no finish time), of the given schools (all when none given): after
 * Redis lost its jobs, these are the runs no job will ever finish unless they are resumed.
 */
export async function listRunningRuns(
  db: SqlExecutor,
  schoolIds: readonly string[] = [],
): Promise<RunRow[]> {
  const rows = await syncRuns.runningRuns(db);
  const wanted = new Set(schoolIds);
  return rows.filter((r) => wanted.size === 0 || wanted.has(r.school_id));
}
