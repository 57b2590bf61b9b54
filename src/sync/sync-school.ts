import type { Config } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import { handlers as defaultHandlers, type HandlerRegistry } from '../jobs/registry.js';
import { registerSyncHandlers } from '../jobs/handlers/sync.js';
import { InProcessRunner } from '../jobs/in-process-runner.js';
import { jobSpec } from '../jobs/job-names.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { SyncObserver } from './deps.js';
import { runFinishStage, startRun, type SyncSummary } from './engine.js';
import { requestFromOptions, type SyncOptions } from './request.js';
import { summarizeRun } from './summary.js';

/**
 * Embedded sync of one school: the sync jobs run in this process, in queue order, with the same
 * handlers as service mode. This is what `ezh sync`, `ezh demo` and the benchmark call.
 */
export interface SyncSchoolDeps {
  db: SqlDb;
  connector: Connector;
  clock: Clock;
  logger: Logger;
  config: Config;
  observer?: SyncObserver;
  /** Abort to stop after the current scope; the run stays resumable. */
  signal?: AbortSignal;
  /** Handlers to use (default: the process registry, with the sync handlers added). */
  registry?: HandlerRegistry;
}

export async function syncSchool(
  deps: SyncSchoolDeps,
  options: SyncOptions = {},
): Promise<SyncSummary> {
  const schoolId = options.schoolId ?? deps.config.schools[0]?.id;
  if (!schoolId) {
    throw new Error('no school to sync: pass a school id or list schools in the config');
  }
  const registry = deps.registry ?? defaultHandlers;
  if (!registry.has('sync.school')) registerSyncHandlers(registry);
  const syncDeps = {
    db: deps.db,
    connectorFor: () => deps.connector,
    clock: deps.clock,
    logger: deps.logger,
    config: deps.config,
    observer: deps.observer,
  };
  const request = requestFromOptions(options);
  const { run, resumed } = await startRun(syncDeps, schoolId, request);
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
