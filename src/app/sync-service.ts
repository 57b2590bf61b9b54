import type { AppContext } from './context.js';
import { ConnectorCache } from './connectors.js';
import type { Config } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { SyncObserver } from '../sync/deps.js';
import type { SyncSummary } from '../sync/engine.js';
import { progressObserver } from '../sync/progress.js';
import type { SyncOptions } from '../sync/request.js';
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
  if (request.from && request.to && request.from > request.to) {
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
      const observer = progressObserver(app.config.sync.progress, app.logger);
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
