import type { SqlExecutor } from '../mirror/sql.js';
import { requestKey, type SyncMode, type SyncRequest } from './request.js';

/**
 * Sync runs (`sync_runs`) and their per-stream statistics (`sync_run_streams`). A run row is
 * written before any scope, so a killed run is visible (status `running`, no finish time) and the
 * next run can resume it.
 */

/** `held`: every scope done, but the mass-deletion guard held deletions back for an operator. */
export type RunStatus = 'running' | 'succeeded' | 'held' | 'partial' | 'failed';

export interface RunNotes {
  request: SyncRequest;
  /** Deletions the mass-deletion guard refused, one per scope and stream. */
  refusals?: { scope: string; stream: string; live: number; missing: number; reason?: string }[];
  /** Streams that had records quarantined in this run. */
  drift?: { stream: string; count: number }[];
}

export interface RunRow {
  id: string;
  school_id: string;
  source: string;
  mode: SyncMode;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  scopes_total: number;
  scopes_done: number;
  error: string | null;
  notes: string | null;
}

export interface StreamStats {
  requests: number;
  retries: number;
  inserted: number;
  changed: number;
  unchanged: number;
  deleted: number;
  quarantined: number;
  errors: number;
  durationMs: number;
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

function normalize(row: RunRow): RunRow {
  return {
    ...row,
    started_at: Number(row.started_at),
    finished_at: row.finished_at === null ? null : Number(row.finished_at),
    scopes_total: Number(row.scopes_total),
    scopes_done: Number(row.scopes_done),
  };
}

export async function getRun(db: SqlExecutor, id: string): Promise<RunRow | null> {
  const rows = await db.query<RunRow & Record<string, unknown>>(
    'SELECT * FROM sync_runs WHERE id = ?',
    [id],
  );
  return rows[0] ? normalize(rows[0]) : null;
}

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
  const rows = await db.query<RunRow & Record<string, unknown>>(
    'SELECT * FROM sync_runs WHERE school_id = ? ORDER BY started_at DESC, id DESC LIMIT 1',
    [schoolId],
  );
  const last = rows[0] ? normalize(rows[0]) : null;
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
  await db.run(
    `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done, error, notes)
     VALUES (?, ?, ?, ?, 'running', ?, NULL, 0, 0, NULL, ?) ON CONFLICT (id) DO NOTHING`,
    [run.id, run.schoolId, run.source, run.request.mode, run.startedAt, JSON.stringify(notes)],
  );
  const row = await getRun(db, run.id);
  if (!row) throw new Error(`sync run ${run.id} was not recorded`);
  return row;
}

export async function markRunning(db: SqlExecutor, runId: string): Promise<void> {
  await db.run(
    `UPDATE sync_runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?`,
    [runId],
  );
}

export async function setScopesTotal(db: SqlExecutor, runId: string, total: number): Promise<void> {
  await db.run('UPDATE sync_runs SET scopes_total = ? WHERE id = ?', [total, runId]);
}

export async function countDoneScopes(db: SqlExecutor, runId: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    'SELECT count(*) AS n FROM sync_checkpoints WHERE sync_run_id = ?',
    [runId],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function finishRun(
  db: SqlExecutor,
  runId: string,
  values: { status: RunStatus; finishedAt: number; error: string | null },
): Promise<void> {
  const done = await countDoneScopes(db, runId);
  await db.run(
    'UPDATE sync_runs SET status = ?, finished_at = ?, scopes_done = ?, error = ? WHERE id = ?',
    [values.status, values.finishedAt, done, values.error, runId],
  );
}

/** Adds to a stream's statistics of a run (commutative, so parallel scope jobs may both add). */
export async function addStreamStats(
  tx: SqlExecutor,
  runId: string,
  stream: string,
  s: StreamStats,
): Promise<void> {
  await tx.run(
    `INSERT INTO sync_run_streams (run_id, stream, requests, retries, inserted, changed, unchanged, deleted, quarantined, errors, duration_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, stream) DO UPDATE SET
       requests = sync_run_streams.requests + excluded.requests,
       retries = sync_run_streams.retries + excluded.retries,
       inserted = sync_run_streams.inserted + excluded.inserted,
       changed = sync_run_streams.changed + excluded.changed,
       unchanged = sync_run_streams.unchanged + excluded.unchanged,
       deleted = sync_run_streams.deleted + excluded.deleted,
       quarantined = sync_run_streams.quarantined + excluded.quarantined,
       errors = sync_run_streams.errors + excluded.errors,
       duration_ms = sync_run_streams.duration_ms + excluded.duration_ms`,
    [
      runId,
      stream,
      s.requests,
      s.retries,
      s.inserted,
      s.changed,
      s.unchanged,
      s.deleted,
      s.quarantined,
      s.errors,
      s.durationMs,
    ],
  );
}

/** Appends to the run's notes inside the scope's transaction (row-locked on PostgreSQL). */
export async function appendNotes(
  tx: SqlExecutor,
  runId: string,
  edit: (notes: RunNotes) => void,
): Promise<void> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const rows = await tx.query<{ notes: string | null }>(
    `SELECT notes FROM sync_runs WHERE id = ?${lock}`,
    [runId],
  );
  const notes = (rows[0] && parseNotes(rows[0])) ?? { request: { mode: 'incremental' } };
  edit(notes);
  await tx.run('UPDATE sync_runs SET notes = ? WHERE id = ?', [JSON.stringify(notes), runId]);
}

export async function streamStatsOf(
  db: SqlExecutor,
  runId: string,
): Promise<(StreamStats & { stream: string })[]> {
  const rows = await db.query<Record<string, unknown>>(
    'SELECT * FROM sync_run_streams WHERE run_id = ? ORDER BY stream',
    [runId],
  );
  return rows.map((r) => ({
    stream: String(r.stream),
    requests: Number(r.requests),
    retries: Number(r.retries),
    inserted: Number(r.inserted),
    changed: Number(r.changed),
    unchanged: Number(r.unchanged),
    deleted: Number(r.deleted),
    quarantined: Number(r.quarantined),
    errors: Number(r.errors),
    durationMs: Number(r.duration_ms),
  }));
}

/**
 * When the school's last confirmation run (`ezh sync --confirm-deletions`) finished: deletions
 * before it were confirmed by an operator and no longer count in the guard's window.
 */
export async function lastConfirmation(db: SqlExecutor, schoolId: string): Promise<number | null> {
  const rows = await db.query<{ t: number | string | null }>(
    `SELECT max(finished_at) AS t FROM sync_runs WHERE school_id = ? AND mode = 'confirm'`,
    [schoolId],
  );
  const t = rows[0]?.t;
  return t === null || t === undefined ? null : Number(t);
}

/**
 * One more scope of the run is committed: called in the scope's transaction, so `scopes_done`
 * is the run's real progress while it works (an increment: parallel scope transactions on
 * PostgreSQL queue on the row and each adds its own).
 */
export async function recordScopeDone(tx: SqlExecutor, runId: string): Promise<void> {
  await tx.run('UPDATE sync_runs SET scopes_done = scopes_done + 1 WHERE id = ?', [runId]);
}

/**
 * Runs still marked running (no finish time), of the given schools (all when none given): after
 * Redis lost its jobs, these are the runs no job will ever finish unless they are resumed.
 */
export async function listRunningRuns(
  db: SqlExecutor,
  schoolIds: readonly string[] = [],
): Promise<RunRow[]> {
  const rows = await db.query<RunRow & Record<string, unknown>>(
    "SELECT * FROM sync_runs WHERE status = 'running' AND finished_at IS NULL ORDER BY started_at",
  );
  const wanted = new Set(schoolIds);
  return rows.map(normalize).filter((r) => wanted.size === 0 || wanted.has(r.school_id));
}
