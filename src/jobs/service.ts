import type { Redis } from 'ioredis';
import type { AppContext } from '../app/context.js';
import type { Config } from '../config/schema.js';
import type { JobObserver } from '../metrics/job-metrics.js';
import { within } from '../metrics/probes.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import { EnvironmentError, UsageError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { ConnectorCache, jobRegistry } from './host.js';
import type { JobName, QueueKind } from './job-names.js';
import { redisConnection } from './redis.js';
import { RedisRateLimiters } from './redis-rate-limiter.js';
import { keptItsData, markState, restoreState, stateMissing } from './redis-state.js';
import { JobUnavailableError, type JobRegistry } from './registry.js';
import { scheduledJobNames } from './schedules.js';
import { ServiceQueues } from './service-queues.js';
import { startWorkers, workerName, type RunningWorkers } from './worker.js';
import { SchoolLocks } from './school-lock.js';

/**
 * Service mode, assembled: queues on Redis, workers for every queue this build can serve, the
 * shared connectors. Start-up validation lists every job the config will schedule that this build
 * cannot run, so a missing module is an error at start, not a silently failing job at night.
 */
export function validateJobs(config: Config, registry: JobRegistry): void {
  const needed: JobName[] = [
    'sync.school',
    'sync.windows',
    'sync.scopes',
    'sync.finish',
    ...scheduledJobNames(config),
  ];
  try {
    registry.validate(needed);
  } catch (err) {
    if (!(err instanceof JobUnavailableError)) throw err;
    throw new UsageError(
      err.message,
      err.jobs.map(
        (j) =>
          `${j}: no handler in this build; disable what schedules it (jobs.schedules.*.enabled: false, jobs.afterSync: [])`,
      ),
    );
  }
}

export interface ServiceHost {
  queues: ServiceQueues;
  workers: RunningWorkers;
  close(): Promise<void>;
}

/** What start-up runs before any worker takes a job (the metrics endpoint); closed on exit. */
export interface ServiceAddOn {
  close(): Promise<void>;
}

/** Generous: a worker starting on a loaded machine may not run its timers on time. */
const REDIS_START_TIMEOUT_MS = 15_000;

/**
 * Starts service mode, all or nothing: everything that can fail (the metrics port, Redis, the
 * schedules) is done before the first BullMQ worker starts; if any step fails, what started is
 * closed and the error is thrown, so the process exits instead of lingering half started (taking
 * jobs it cannot finish while systemd shows it active).
 */
export async function startService(options: {
  config: Config;
  db: SqlDb;
  clock: Clock;
  logger: Logger;
  /** The app the checks, alerts, documents and archive handlers work through. */
  app?: AppContext;
  /** Only these queues (`ezh worker --queues`); default every queue this build serves. */
  kinds?: QueueKind[];
  /** Started after the queues exist and before Redis is touched (binds the metrics port). */
  addOn?: (ctx: { queues: ServiceQueues; connection: Redis }) => Promise<ServiceAddOn | null>;
  observe?: JobObserver;
}): Promise<ServiceHost> {
  const { config, logger } = options;
  const registry = jobRegistry(options.app);
  validateJobs(config, registry);
  const connection = redisConnection(config.redis);
  connection.on('error', (err) => logger.warn({ err }, 'Redis connection error; reconnecting'));
  const queues = new ServiceQueues(connection, config, registry);
  // One rate limit per token across every worker process (and a refused token paused in all).
  const limiters = new RedisRateLimiters(connection, { prefix: config.redis.prefix });
  const connectors = new ConnectorCache(config, { limiters });
  const started: (() => Promise<void>)[] = [
    async () => connection.disconnect(),
    () => connectors.close(),
    () => queues.close(),
  ];
  const closeAll = async () => {
    for (const close of started.reverse()) await close().catch(() => undefined);
  };
  try {
    const addOn = await options.addOn?.({ queues, connection });
    if (addOn) started.push(() => addOn.close());
    await redisReady(connection, config);
    const deps = {
      db: options.db,
      connectorFor: (id: string) => connectors.connectorFor(id),
      clock: options.clock,
      logger,
      config,
    };
    const name = workerName();
    const watch = async () => {
      const missing = await within(
        stateMissing(connection, config.redis.prefix),
        REDIS_START_TIMEOUT_MS,
        'EXISTS',
      );
      if (!missing) return;
      if (await keptItsData(queues, config)) {
        await markState(connection, config.redis.prefix, name);
        return;
      }
      await restoreState({ connection, queues, config, db: options.db, logger, by: name });
    };
    await watch();
    const workers = startWorkers({
      config,
      registry,
      deps,
      queues,
      logger,
      kinds: options.kinds,
      observe: options.observe,
      pauses: limiters,
      ...(config.jobs.oneSyncJobPerSchool
        ? { locks: new SchoolLocks(connection, config.redis.prefix, config.jobs.lockDurationMs) }
        : {}),
    });
    started.push(() => workers.close());
    started.push(watchRedisState(watch, config.jobs.redisCheckIntervalMs, logger));
    return { queues, workers, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Redis must answer at start: a worker that cannot reach it exits (systemd restarts it). */
async function redisReady(connection: Redis, config: Config): Promise<void> {
  try {
    await within(connection.ping(), REDIS_START_TIMEOUT_MS, 'PING');
  } catch (err) {
    throw new EnvironmentError(
      `Redis at ${redisAddress(config.redis.url)} (redis.url) does not answer: ${(err as Error).message}`,
      1,
      { cause: err },
    );
  }
}

/** host:port of a Redis URL, without its password. */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'the configured address';
  }
}

/**
 * Every `intervalMs`, whether Redis lost ezh's state (restarted empty): then the schedules are
 * installed again and the orphaned runs resumed. A check that fails (Redis down) just waits for
 * the next one. Returns the stopper.
 */
function watchRedisState(
  check: () => Promise<void>,
  intervalMs: number,
  logger: Logger,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = check()
      .catch((err: unknown) => logger.debug({ err }, 'Redis state check skipped'))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    // A check waiting on a Redis that is down does not hold the shutdown.
    if (running) await within(running, 2000, 'Redis state check').catch(() => undefined);
  };
}
