import type { Row, SqlExecutor } from '../sql.js';
import { bumpDataVersion, bumpDataVersionOfRun } from './data-version.js';
import { parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * Sync runs (`sync_runs`) and their per-stream statistics (`sync_run_streams`): every statement
 * on these tables, rows parsed at the edge. What a run's notes mean (the request it resumes, the
 * refusals) is the sync's business (src/sync/run-store.ts); here they are text.
 */

/** `hourly`: a daytime run, the current week only (`src/sync/planner.ts`, `isDaytimeRun`). */
export const SYNC_MODES = [
  'incremental',
  'hourly',
  'reconcile',
  'full',
  'backfill',
  'confirm',
] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** `held`: every scope done, but the mass-deletion guard held deletions back for an operator. */
export const SYNC_RUN_STATUSES = ['running', 'succeeded', 'held', 'partial', 'failed'] as const;
export type RunStatus = (typeof SYNC_RUN_STATUSES)[number];

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
  /** JSON (the sync's `RunNotes`), parsed by the sync. */
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

const TABLE = 'sync_runs';

const runRow = (r: RowReader): RunRow => ({
  id: r.text('id'),
  school_id: r.text('school_id'),
  source: r.text('source'),
  mode: r.oneOf('mode', SYNC_MODES),
  status: r.oneOf('status', SYNC_RUN_STATUSES),
  started_at: r.int('started_at'),
  finished_at: r.intOrNull('finished_at'),
  scopes_total: r.int('scopes_total'),
  scopes_done: r.int('scopes_done'),
  error: r.textOrNull('error'),
  notes: r.textOrNull('notes'),
});

/** Parses `sync_runs` rows (`SELECT *`); exported for tests of the row checks. */
export const parseRunRows = (rows: readonly Row[]): RunRow[] => parseRows(TABLE, rows, runRow);

export async function getRun(db: SqlExecutor, id: string): Promise<RunRow | null> {
  return parseFirst(TABLE, await db.query('SELECT * FROM sync_runs WHERE id = ?', [id]), runRow);
}

/** The school's latest run (by start, then id), any status. */
export async function latestRunOf(db: SqlExecutor, schoolId: string): Promise<RunRow | null> {
  const rows = await db.query(
    'SELECT * FROM sync_runs WHERE school_id = ? ORDER BY started_at DESC, id DESC LIMIT 1',
    [schoolId],
  );
  return parseFirst(TABLE, rows, runRow);
}

/** The last `limit` runs of every school, newest first (`ezh status`). */
export async function latestRuns(db: SqlExecutor, limit: number): Promise<RunRow[]> {
  const rows = await db.query('SELECT * FROM sync_runs ORDER BY started_at DESC LIMIT ?', [limit]);
  return parseRunRows(rows);
}

/** Runs still marked running (no finish time), oldest first. */
export async function runningRuns(db: SqlExecutor): Promise<RunRow[]> {
  return parseRunRows(
    await db.query(
      "SELECT * FROM sync_runs WHERE status = 'running' AND finished_at IS NULL ORDER BY started_at",
    ),
  );
}

/** Inserts a `running` row; a second call with the same id (a retried job) leaves it as it is. */
export async function insertRun(
  db: SqlExecutor,
  run: {
    id: string;
    schoolId: string;
    source: string;
    mode: SyncMode;
    startedAt: number;
    notes: string;
  },
): Promise<void> {
  await db.run(
    `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done, error, notes)
     VALUES (?, ?, ?, ?, 'running', ?, NULL, 0, 0, NULL, ?) ON CONFLICT (id) DO NOTHING`,
    [run.id, run.schoolId, run.source, run.mode, run.startedAt, run.notes],
  );
  await bumpDataVersion(db, run.schoolId);
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

/** Scopes of the run committed so far (its checkpoints): a working run's real progress. */
export async function countDoneScopes(db: SqlExecutor, runId: string): Promise<number> {
  const rows = await db.query('SELECT count(*) AS n FROM sync_checkpoints WHERE sync_run_id = ?', [
    runId,
  ]);
  return parseFirst('sync_checkpoints', rows, (r) => r.int('n')) ?? 0;
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
  // The run's end follows the derived tables' refresh: the pages read those too.
  await bumpDataVersionOfRun(db, 'sync_runs', runId);
}

/**
 * One more scope of the run is committed: called in the scope's transaction, so `scopes_done`
 * is the run's real progress while it works (an increment: parallel scope transactions on
 * PostgreSQL queue on the row and each adds its own).
 */
export async function recordScopeDone(tx: SqlExecutor, runId: string): Promise<void> {
  await tx.run('UPDATE sync_runs SET scopes_done = scopes_done + 1 WHERE id = ?', [runId]);
  // The scope's records commit with this transaction: so does the pages' data version.
  await bumpDataVersionOfRun(tx, 'sync_runs', runId);
}

/** The run's notes, row-locked on PostgreSQL until the transaction `tx` ends. */
export async function readNotesForUpdate(tx: SqlExecutor, runId: string): Promise<string | null> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const rows = await tx.query(`SELECT notes FROM sync_runs WHERE id = ?${lock}`, [runId]);
  return parseFirst(TABLE, rows, (r) => r.textOrNull('notes'));
}

export async function writeNotes(tx: SqlExecutor, runId: string, notes: string): Promise<void> {
  await tx.run('UPDATE sync_runs SET notes = ? WHERE id = ?', [notes, runId]);
}

/** When the school's last run of `mode` finished (null: never). */
export async function lastFinishedOfMode(
  db: SqlExecutor,
  schoolId: string,
  mode: SyncMode,
): Promise<number | null> {
  const rows = await db.query(
    'SELECT max(finished_at) AS t FROM sync_runs WHERE school_id = ? AND mode = ?',
    [schoolId, mode],
  );
  return parseFirst(TABLE, rows, (r) => r.intOrNull('t'));
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

const counts = (r: RowReader): Omit<StreamStats, 'durationMs'> => ({
  requests: r.intOrZero('requests'),
  retries: r.intOrZero('retries'),
  inserted: r.intOrZero('inserted'),
  changed: r.intOrZero('changed'),
  unchanged: r.intOrZero('unchanged'),
  deleted: r.intOrZero('deleted'),
  quarantined: r.intOrZero('quarantined'),
  errors: r.intOrZero('errors'),
});

export async function streamStatsOf(
  db: SqlExecutor,
  runId: string,
): Promise<(StreamStats & { stream: string })[]> {
  const rows = await db.query('SELECT * FROM sync_run_streams WHERE run_id = ? ORDER BY stream', [
    runId,
  ]);
  return parseRows('sync_run_streams', rows, (r) => ({
    stream: r.text('stream'),
    ...counts(r),
    durationMs: r.int('duration_ms'),
  }));
}

/** A stream's figures of one school summed over every recorded run (the metrics). */
export type StreamTotals = Omit<StreamStats, 'durationMs'> & { school: string; stream: string };

export async function streamTotals(db: SqlExecutor): Promise<StreamTotals[]> {
  const rows = await db.query(
    `SELECT r.school_id, s.stream, sum(s.requests) AS requests, sum(s.retries) AS retries,
       sum(s.inserted) AS inserted, sum(s.changed) AS changed, sum(s.unchanged) AS unchanged,
       sum(s.deleted) AS deleted, sum(s.quarantined) AS quarantined, sum(s.errors) AS errors
     FROM sync_run_streams s JOIN sync_runs r ON r.id = s.run_id
     GROUP BY r.school_id, s.stream`,
  );
  return parseRows('sync_run_streams', rows, (r) => ({
    school: r.text('school_id'),
    stream: r.text('stream'),
    ...counts(r),
  }));
}

export interface SyncRunCount {
  school: string;
  status: string;
  runs: number;
}

export async function runCounts(db: SqlExecutor): Promise<SyncRunCount[]> {
  const rows = await db.query(
    'SELECT school_id, status, count(*) AS n FROM sync_runs GROUP BY school_id, status',
  );
  return parseRows(TABLE, rows, (r) => ({
    school: r.text('school_id'),
    status: r.text('status'),
    runs: r.int('n'),
  }));
}

/** Epoch ms of each school's last successful sync (a `held` run read everything too). */
export async function lastSuccessfulSyncs(db: SqlExecutor): Promise<Map<string, number>> {
  const rows = await db.query(
    `SELECT school_id, max(finished_at) AS at FROM sync_runs
     WHERE status IN ('succeeded', 'held') AND finished_at IS NOT NULL GROUP BY school_id`,
  );
  return new Map(parseRows(TABLE, rows, (r) => [r.text('school_id'), r.int('at')] as const));
}

/** The school's finished runs (any status but `running`), newest first. */
export async function finishedRunsOf(
  db: SqlExecutor,
  schoolId: string,
  limit: number,
): Promise<RunRow[]> {
  const rows = await db.query(
    `SELECT * FROM sync_runs
      WHERE school_id = ? AND status <> 'running' ORDER BY started_at DESC, id DESC LIMIT ?`,
    [schoolId, limit],
  );
  return parseRunRows(rows);
}

/**
 * What the mirror covers of a school: when its first sync that wrote anything started, and when
 * its last successful sync finished (null: none).
 */
export async function coverageOf(
  db: SqlExecutor,
  schoolId: string,
): Promise<{ firstSyncAt: number | null; lastSyncedAt: number | null }> {
  const rows = await db.query(
    `SELECT min(CASE WHEN status IN ('succeeded', 'held') OR scopes_done > 0 THEN started_at END) AS first,
       max(CASE WHEN status IN ('succeeded', 'held') THEN finished_at END) AS last
     FROM sync_runs WHERE school_id = ?`,
    [schoolId],
  );
  return (
    parseFirst(TABLE, rows, (r) => ({
      firstSyncAt: r.intOrNull('first'),
      lastSyncedAt: r.intOrNull('last'),
    })) ?? { firstSyncAt: null, lastSyncedAt: null }
  );
}

/** Start instants of the school's runs that read the platform, at or before `until`, newest first. */
export async function recentReadingStarts(
  db: SqlExecutor,
  schoolId: string,
  until: number,
  limit: number,
): Promise<number[]> {
  const rows = await db.query(
    `SELECT started_at FROM sync_runs WHERE school_id = ? AND status IN ('succeeded', 'held', 'partial') AND started_at <= ?
     ORDER BY started_at DESC LIMIT ?`,
    [schoolId, until, limit],
  );
  return parseRows(TABLE, rows, (r) => r.int('started_at'));
}
