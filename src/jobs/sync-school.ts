import type { SchoolSyncDeps } from '../app/sync-service.js';
import { UsageError } from '../platform/errors.js';
import type { SyncDeps } from '../sync/deps.js';
import { checkClassName, runFinishStage, startRun, type SyncSummary } from '../sync/engine.js';
import { requestFromOptions, type SyncOptions, type SyncRequest } from '../sync/request.js';
import { HEARTBEAT_MS } from '../mirror/leases.js';
import { keepSyncLeaseAlive, LeaseHeldError, releaseSyncLease } from '../sync/run-lease.js';
import type { RunRow } from '../sync/run-store.js';
import { summarizeRun } from '../sync/summary.js';
import { syncJobRegistry } from './host.js';
import { InProcessRunner } from './in-process-runner.js';
import { jobSpec } from './job-names.js';
import type { JobRegistry } from './registry.js';

/**
 * Embedded sync of one school: the sync jobs run in this process, in queue order, with the same
 * job registry as service mode. This is what `ezh sync`, `ezh demo` and the benchmark call. It
 * lives with the jobs (not in sync/): it is the jobs' orchestration of the sync engine's stages.
 */
/** The sync service's deps for one school, and the jobs to run it with. */
export interface SyncSchoolDeps extends SchoolSyncDeps {
  /** The jobs to run (default: the sync jobs of this build). */
  registry?: JobRegistry;
}

export async function syncSchool(
  deps: SyncSchoolDeps,
  options: SyncOptions = {},
): Promise<SyncSummary> {
  const schools = deps.config.schools;
  // Never silently the first of several schools.
  const schoolId = options.schoolId ?? (schools.length === 1 ? schools[0]!.id : undefined);
  if (!schoolId) {
    throw new UsageError(
      schools.length === 0
        ? 'no school to sync: pass a school id or list schools in the config'
        : 'several schools configured: pass a school id',
      schools.map((s) => s.id),
    );
  }
  const registry = deps.registry ?? syncJobRegistry();
  const syncDeps = {
    db: deps.db,
    connectorFor: () => deps.connector,
    clock: deps.clock,
    logger: deps.logger,
    config: deps.config,
    observer: deps.observer,
  };
  const request = requestFromOptions(options);
  await checkClassName(syncDeps, schoolId, request);
  const { run, resumed } = await startOrWait(syncDeps, schoolId, request, deps, options.wait);
  const stopHeartbeat = keepSyncLeaseAlive(deps.db, schoolId, run.id);
  try {
    return await runAndSummarize(deps, syncDeps, registry, schoolId, request, run.id, resumed);
  } finally {
    stopHeartbeat();
    // Finished or stopped, this process no longer works on the run: an unfinished run now reads
    // as interrupted, and the next sync resumes it at once.
    await releaseSyncLease(deps.db, schoolId, run.id).catch(() => undefined);
  }
}

/** Starts the run; with `wait`, waits while another process holds the school's sync. */
async function startOrWait(
  syncDeps: SyncDeps,
  schoolId: string,
  request: SyncRequest,
  deps: SyncSchoolDeps,
  wait = false,
): Promise<{ run: RunRow; resumed: boolean }> {
  for (let logged = false; ; logged = true) {
    try {
      return await startRun(syncDeps, schoolId, request);
    } catch (err) {
      if (!wait || !(err instanceof LeaseHeldError) || deps.signal?.aborted) throw err;
      if (!logged) deps.logger.warn(`${err.message}: waiting for it to end`);
      await sleep(HEARTBEAT_MS, deps.signal);
    }
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

async function runAndSummarize(
  deps: SyncSchoolDeps,
  syncDeps: SyncDeps,
  registry: JobRegistry,
  schoolId: string,
  request: SyncRequest,
  runId: string,
  resumed: boolean,
): Promise<SyncSummary> {
  const run = { id: runId };
  const runner = new InProcessRunner(registry, syncDeps, {
    attempts: deps.config.jobs.attempts,
    concurrency: deps.config.jobs.concurrency.sync,
    backoffMs: Math.min(deps.config.jobs.backoffMs, 2000),
    signal: deps.signal,
  });
  let error: unknown = null;
  try {
    await runner.run(
      jobSpec('sync.school', { schoolId, request, runId: run.id }, `${run.id}.school`),
    );
  } catch (err) {
    error = err;
  }
  if (error !== null) {
    // The fan-out itself failed (school scope unreadable, bad --class): record it on the run.
    await runFinishStage(syncDeps, run.id, error instanceof Error ? error.message : String(error));
  }
  const summary = await summarizeRun(deps.db, run.id, resumed);
  if (error !== null && !deps.signal?.aborted) {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { summary });
  }
  return summary;
}
