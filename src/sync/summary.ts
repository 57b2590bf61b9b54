import type { SqlExecutor } from '../mirror/sql.js';
import type { SyncSummary } from './engine.js';
import { countDoneScopes, getRun, parseNotes, streamStatsOf } from './run-store.js';

/** A run as the CLI, the demo and tests see it. */
export async function summarizeRun(
  db: SqlExecutor,
  runId: string,
  resumed = false,
): Promise<SyncSummary> {
  const run = await getRun(db, runId);
  if (!run) throw new Error(`unknown sync run ${runId}`);
  const streams = await streamStatsOf(db, runId);
  const notes = parseNotes(run);
  return {
    runId,
    schoolId: run.school_id,
    mode: run.mode,
    status: run.status,
    scopesTotal: run.scopes_total,
    // `scopes_done` is stored when a run finishes; an interrupted run's progress is its checkpoints.
    scopesDone: run.finished_at === null ? await countDoneScopes(db, runId) : run.scopes_done,
    resumed,
    error: run.error,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    streams,
    refusals: notes?.refusals ?? [],
    requests: streams.reduce((n, s) => n + s.requests, 0),
  };
}
