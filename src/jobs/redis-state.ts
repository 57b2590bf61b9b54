import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { loadSchoolContexts } from '../mirror/school-context.js';
import type { SqlExecutor } from '../mirror/sql.js';
import type { Logger } from '../platform/logger.js';
import { listRunningRuns, parseNotes } from '../sync/run-store.js';
import { jobSpec } from './job-names.js';
import { desiredSchedules, installSchedules, type ScheduleResult } from './schedules.js';
import type { ServiceQueues } from './service-queues.js';

/**
 * Whether Redis still holds ezh's state. `ezh schedule` and the workers write a marker key beside
 * the queues once the schedules are installed; Redis restarted without its data (or flushed, or a
 * new Redis) has no marker. A worker that finds it missing restores what the config and the
 * mirror can rebuild: the job schedulers (the same code as `ezh schedule`) and the sync runs the
 * mirror says are running, whose jobs are gone (resumed: their finished scopes are skipped).
 */

export function stateKey(prefix: string): string {
  return `${prefix}:ezh:state`;
}

export async function markState(connection: Redis, prefix: string, by: string): Promise<void> {
  await connection.set(stateKey(prefix), JSON.stringify({ by, at: new Date().toISOString() }));
}

/** True or false as Redis answered; a Redis that does not answer is no evidence of loss. */
export async function stateMissing(connection: Redis, prefix: string): Promise<boolean> {
  return (await connection.exists(stateKey(prefix))) === 0;
}

/**
 * A Redis without the marker that still holds ezh's job schedulers kept its data (the marker is
 * newer than the schedulers: an installation upgraded from a version without it): nothing to
 * restore, and runs whose jobs are alive must not be queued twice.
 */
export async function keptItsData(queues: ServiceQueues, config: Config): Promise<boolean> {
  // How many, not when: the zone does not matter here.
  if (desiredSchedules(config, () => 'UTC').length === 0) return false;
  for (const queue of queues.queues.values()) {
    if ((await queue.getJobSchedulersCount()) > 0) return true;
  }
  return false;
}

export interface RestoreResult extends ScheduleResult {
  /** Sync runs re-queued from where they stopped. */
  resumed: string[];
}

/** Idempotent: several workers restoring at once install the same schedulers and job ids. */
export async function restoreState(options: {
  connection: Redis;
  queues: ServiceQueues;
  config: Config;
  db: SqlExecutor;
  logger: Logger;
  by: string;
}): Promise<RestoreResult> {
  const { connection, queues, config, db, logger, by } = options;
  const contexts = await loadSchoolContexts(db, config);
  const schedules = await installSchedules(queues, config, (id) => contexts.get(id).zone);
  const resumed: string[] = [];
  const schools = config.schools.map((s) => s.id);
  for (const run of await listRunningRuns(db, schools)) {
    const request = parseNotes(run)?.request ?? { mode: run.mode };
    await queues.add(
      jobSpec(
        'sync.school',
        { schoolId: run.school_id, request, runId: run.id, followUps: config.jobs.afterSync },
        `resume-${run.id.replace(/[^A-Za-z0-9._-]/g, '-')}`,
      ),
    );
    resumed.push(run.id);
  }
  await markState(connection, config.redis.prefix, by);
  logger.warn(
    { schedules: schedules.installed.length, resumed },
    resumed.length > 0
      ? 'Redis held no ezh state (restarted empty?): schedules installed from the config, running sync runs resumed'
      : 'Redis held no ezh state (new, or restarted empty): schedules installed from the config',
  );
  return { ...schedules, resumed };
}
