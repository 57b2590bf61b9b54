import type { AppContext } from './context.js';
import { ConnectorCache } from './connectors.js';
import type { Config } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { SyncDeps, SyncObserver } from '../sync/deps.js';
import {
  checkClassName,
  runFinishStage,
  runPlanWindowsStage,
  runSchoolStage,
  runScopeGroup,
  startRun,
  type SyncSummary,
} from '../sync/engine.js';
import { progressObserver } from '../sync/progress.js';
import type { SyncOptions, SyncRequest } from '../sync/request.js';
import type { RunStatus } from '../sync/run-store.js';
import type { PlannedScope } from '../sync/scope.js';
import { verifyMirror, type MirrorComparison } from '../sync/verify-mirror.js';

/**
 * The sync service: `ezh sync` and `ezh verify-mirror` (and the coming web site) check the
 * request against the config, open one connector per school and walk the schools here. Running
 * one school's sync is the jobs' orchestration (`src/jobs/sync-school.ts`, a door's module the
 * core may not import), so the door hands it in as `SchoolSyncRunner`.
 */

/** What `ezh sync` asks for; `schoolId` absent: every configured school. */
export type SyncSchoolsRequest = SyncOptions;

/** Everything one school's embedded sync needs but the job registry (the door's). */
export interface SchoolSyncDeps {
  db: SqlDb;
  connector: Connector;
  clock: Clock;
  logger: Logger;
  config: Config;
  observer?: SyncObserver;
  signal?: AbortSignal;
}

export type SchoolSyncRunner = (deps: SchoolSyncDeps, options: SyncOptions) => Promise<SyncSummary>;

export interface SyncSchoolsDoor {
  /** Runs one school's sync (the jobs' `syncSchool` with the sync job registry). */
  run: SchoolSyncRunner;
  /** Abort to stop after the current scope; the run stays resumable. */
  signal: AbortSignal;
  /** A school's run ended (succeeded, held, failed or interrupted): the door prints it. */
  onSummary(summary: SyncSummary): void;
  /** A run failed with an error but has a summary: the door reports the error before it. */
  onRunError(err: Error): void;
  /** False: no per-scope progress (the demo prints one line per run); default `sync.progress`. */
  progress?: boolean;
}

export interface SyncSchoolsResult {
  /** A run did not succeed (and was not merely held). */
  failed: boolean;
  /** A run holds back deletions for an operator. */
  held: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a sync request for this config (empty: nothing). */
export function syncRequestProblems(config: Config, request: SyncSchoolsRequest): string[] {
  const schools = config.schools.map((s) => s.id);
  const problems: string[] = [];
  for (const key of ['from', 'to'] as const) {
    const v = request[key];
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) {
      problems.push(`--${key}: must be a date YYYY-MM-DD`);
    }
  }
  // Two dates only: a malformed one is already named, and its text compares as nothing.
  if (problems.length === 0 && request.from && request.to && request.from > request.to) {
    problems.push('--from: must not be after --to');
  }
  if (request.full && (request.from || request.to)) {
    problems.push('--full: cannot be combined with --from/--to');
  }
  if (request.confirmDeletions && (request.from || request.to || request.reconcile)) {
    problems.push(
      '--confirm-deletions: reads every window itself; cannot be combined with --from/--to/--reconcile',
    );
  }
  if (request.schoolId && !schools.includes(request.schoolId)) {
    problems.push(`--school: ${request.schoolId} is not in the config's schools`);
  }
  if (schools.length === 0) {
    problems.push('schools: no school configured (add schools[].id to the config)');
  }
  return problems;
}

/**
 * Syncs the school asked for, or every configured school in turn (until the signal aborts).
 * A run that failed with a summary is reported and the next school goes on; errors without a
 * run (bad usage, another process holds the school) are thrown.
 */
export async function syncSchools(
  app: AppContext,
  request: SyncSchoolsRequest,
  door: SyncSchoolsDoor,
): Promise<SyncSchoolsResult> {
  const problems = syncRequestProblems(app.config, request);
  if (problems.length > 0) throw new UsageError('bad sync options', problems);
  const ids = app.config.schools.map((s) => s.id);
  const mirror = await app.mirror();
  const connectors = new ConnectorCache(app.config);
  let failed = false;
  let held = false;
  try {
    for (const schoolId of request.schoolId ? [request.schoolId] : ids) {
      const observer = progressObserver(
        door.progress === false ? 'off' : app.config.sync.progress,
        app.logger,
      );
      try {
        const summary = await syncOrSummary(
          () =>
            door.run(
              {
                db: mirror.db,
                connector: connectors.connectorFor(schoolId),
                clock: app.clock,
                logger: app.logger,
                config: app.config,
                observer,
                signal: door.signal,
              },
              { ...request, schoolId },
            ),
          door.onRunError,
        );
        observer.stop();
        door.onSummary(summary);
        if (summary.status === 'held') held = true;
        else if (summary.status !== 'succeeded') failed = true;
      } finally {
        observer.stop();
      }
      if (door.signal.aborted) break;
    }
  } finally {
    await connectors.close();
  }
  return { failed, held };
}

async function syncOrSummary(
  sync: () => Promise<SyncSummary>,
  onRunError: (err: Error) => void,
): Promise<SyncSummary> {
  try {
    return await sync();
  } catch (err) {
    const summary = (err as { summary?: SyncSummary }).summary;
    if (!summary || err instanceof UsageError) throw err;
    onRunError(err as Error);
    return summary;
  }
}

/**
 * Reads the school year from the platform (read only) and compares it with the mirror, for the
 * school asked for or every configured school; each school's comparison is reported as soon as
 * it is made. True: every mirror equals the platform.
 */
export async function verifyMirrors(
  app: AppContext,
  request: { schoolId?: string },
  report: (schoolId: string, comparison: MirrorComparison) => void,
): Promise<boolean> {
  const ids = app.config.schools.map((s) => s.id);
  if (ids.length === 0) {
    throw new UsageError('bad verify-mirror options', [
      'schools: no school configured (add schools[].id to the config)',
    ]);
  }
  if (request.schoolId && !ids.includes(request.schoolId)) {
    throw new UsageError('bad verify-mirror options', [
      `--school: ${request.schoolId} is not in the config's schools`,
    ]);
  }
  const mirror = await app.mirror();
  const connectors = new ConnectorCache(app.config);
  let equal = true;
  try {
    for (const schoolId of request.schoolId ? [request.schoolId] : ids) {
      const comparison = await verifyMirror(
        {
          db: mirror.db,
          connector: connectors.connectorFor(schoolId),
          config: app.config,
          clock: app.clock,
        },
        schoolId,
      );
      report(schoolId, comparison);
      if (!comparison.equal) equal = false;
    }
  } finally {
    await connectors.close();
  }
  return equal;
}

/**
 * One school's sync, stage by stage, as the sync jobs run it (on workers, and in-process under
 * `ezh sync`, the demo and the benchmark, `src/jobs/sync-school.ts`): each job parses its payload,
 * calls its stage here and queues the next jobs. The dependencies are the sync's own (mirror,
 * connectors, clock, logger, config), which a sync-only host has without an AppContext.
 */

/** `sync.school`: starts (or resumes) a run, reads the school scope, plans the class scopes. */
export async function beginSchoolRun(
  deps: SyncDeps,
  schoolId: string,
  request: SyncRequest,
  run: { id: string; checked: boolean },
): Promise<{ runId: string; groups: PlannedScope[][] }> {
  // A run that starts here (a schedule, `ezh jobs run sync --class …`) refuses an unknown class
  // before any run is recorded, as `ezh sync` does; a run a door began was checked there.
  if (!run.checked) await checkClassName(deps, schoolId, request);
  const { run: started } = await startRun(deps, schoolId, request, run.id);
  return { runId: started.id, groups: await runSchoolStage(deps, started.id) };
}

/** `sync.windows`: after the class scopes, the window scopes to read. */
export function planWindowScopes(deps: SyncDeps, runId: string): Promise<PlannedScope[][]> {
  return runPlanWindowsStage(deps, runId);
}

/** `sync.scopes`: a group of scopes of one run, read in order; how many were read and skipped. */
export async function readScopes(
  deps: SyncDeps,
  runId: string,
  scopes: readonly PlannedScope[],
  signal: AbortSignal,
): Promise<{ done: number; skipped: number }> {
  const outcomes = await runScopeGroup(deps, runId, scopes, { signal });
  return {
    done: outcomes.filter((o) => !o.skipped).length,
    skipped: outcomes.filter((o) => o.skipped).length,
  };
}

/**
 * `sync.finish`: the run's status, and the follow-up jobs now due: only after a run that read
 * every scope (after a failed or partial one the mirror's present, its last successful sync, has
 * not moved, and a check would repeat the last one).
 */
export async function finishSchoolRun<F extends string>(
  deps: SyncDeps,
  schoolId: string,
  runId: string,
  followUps: readonly F[],
): Promise<{ status: RunStatus; followUps: F[] }> {
  const status = await runFinishStage(deps, runId);
  const complete = status === 'succeeded' || status === 'held';
  if (!complete && followUps.length > 0) {
    deps.logger.warn(
      { run: runId, school: schoolId, status },
      'sync did not complete: its follow-up jobs are not queued',
    );
  }
  return { status, followUps: complete ? [...followUps] : [] };
}
