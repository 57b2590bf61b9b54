import type { Config } from '../config/schema.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { latestOccurrence } from './cron.js';
import type { ConnectorCache } from './host.js';
import { InProcessRunner } from './in-process-runner.js';
import { jobErrorLog } from './job-log.js';
import { jobSpec, type JobSpec } from './job-names.js';
import type { JobRegistry } from './registry.js';
import { desiredSchedules, type ScheduleSpec, type ZoneOf } from './schedules.js';

export interface Fired {
  id: string;
  occurrence: number;
  ok: boolean;
}

/**
 * Embedded mode's scheduler: the same schedules as service mode (`desiredSchedules`), fired in
 * this process at the instants BullMQ would (cron.ts, each in its school's zone). Each occurrence
 * is claimed in `schedule_fires` before it runs, so a second process or a restart never runs it
 * twice; after a restart, the latest occurrence missed while down runs once (older ones do not
 * pile up). A schedule never seen before starts from the scheduler's start: installing it does not
 * fire the past.
 */
export class EmbeddedScheduler {
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<Fired[]> | null = null;

  constructor(
    private readonly options: {
      specs: readonly ScheduleSpec[];
      db: SqlDb;
      clock: Clock;
      logger: Logger;
      /** Runs one job with everything it spawns (an InProcessRunner). */
      run: (job: JobSpec) => Promise<unknown>;
    },
  ) {
    this.startedAt = options.clock.now();
  }

  /** Fires every schedule whose latest occurrence up to now has not run yet; one at a time. */
  async tick(): Promise<Fired[]> {
    const { db, clock, logger } = this.options;
    const now = clock.now();
    const fired: Fired[] = [];
    for (const spec of this.options.specs) {
      const rows = await db.query<{ last: number | string | null }>(
        `SELECT max(occurrence) AS last FROM schedule_fires WHERE schedule_id = ?`,
        [spec.id],
      );
      const last = rows[0]?.last;
      const since = last === null || last === undefined ? this.startedAt : Number(last);
      const occurrence = latestOccurrence(spec.pattern, spec.tz, since, now);
      if (occurrence === null) continue;
      const claim = await db.run(
        `INSERT INTO schedule_fires (schedule_id, occurrence, fired_at) VALUES (?, ?, ?)
         ON CONFLICT (schedule_id, occurrence) DO NOTHING`,
        [spec.id, occurrence, now],
      );
      if (claim.changes !== 1) continue;
      const job = jobSpec(
        spec.job.name,
        spec.job.payload as never,
        `${spec.id}:${new Date(occurrence).toISOString()}`,
      );
      logger.info(
        { schedule: spec.id, job: job.name, occurrence: new Date(occurrence).toISOString() },
        'scheduled job starts',
      );
      try {
        await this.options.run(job);
        fired.push({ id: spec.id, occurrence, ok: true });
      } catch (err) {
        // The occurrence stays claimed: like a BullMQ job that failed its attempts, it waits for the next one.
        logger.error({ schedule: spec.id, ...jobErrorLog(err) }, 'scheduled job failed');
        fired.push({ id: spec.id, occurrence, ok: false });
      }
    }
    return fired;
  }

  /** Ticks every `intervalMs` until stopped; a tick still running is not started again. */
  start(intervalMs: number): void {
    const loop = () => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err: unknown) => {
          this.options.logger.error({ err }, 'scheduler tick failed');
          return [];
        })
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(loop, intervalMs);
    loop();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

/** The embedded scheduler of an app: its config's schedules, run through this build's handlers. */
export function embeddedSchedulerFor(options: {
  config: Config;
  db: SqlDb;
  clock: Clock;
  logger: Logger;
  registry: JobRegistry;
  connectors: ConnectorCache;
  /** A school's zone (its SchoolContext's): every schedule fires in it. */
  zoneOf: ZoneOf;
  signal?: AbortSignal;
}): EmbeddedScheduler {
  const { config, db, clock, logger, registry, connectors } = options;
  const deps = {
    db,
    clock,
    logger,
    config,
    connectorFor: (id: string) => connectors.connectorFor(id),
  };
  return new EmbeddedScheduler({
    specs: desiredSchedules(config, options.zoneOf),
    db,
    clock,
    logger,
    run: (job) =>
      new InProcessRunner(registry, deps, {
        attempts: config.jobs.attempts,
        concurrency: config.jobs.concurrency.sync,
        backoffMs: config.jobs.backoffMs,
        signal: options.signal,
      }).run(job),
  });
}
