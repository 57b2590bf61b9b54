import type { App } from '../cli/app.js';
import type { Config } from '../config/schema.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { ConnectorCache, jobRegistry } from './host.js';
import type { JobName } from './job-names.js';
import { redisConnection } from './redis.js';
import { JobUnavailableError, type HandlerRegistry } from './registry.js';
import { scheduledJobNames } from './schedules.js';
import { ServiceQueues } from './service-queues.js';
import { startWorkers, type RunningWorkers } from './worker.js';

/**
 * Service mode, assembled: queues on Redis, workers for every queue this build can serve, the
 * shared connectors. Start-up validation lists every job the config will schedule that this build
 * cannot run, so a missing module is an error at start, not a silently failing job at night.
 */
export function validateJobs(config: Config, registry: HandlerRegistry): void {
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

export function startService(options: {
  config: Config;
  db: SqlDb;
  clock: Clock;
  logger: Logger;
  /** The app the checks, alerts, documents and archive handlers work through. */
  app?: App;
}): ServiceHost {
  const { config, logger } = options;
  const registry = jobRegistry(options.app);
  validateJobs(config, registry);
  const connection = redisConnection(config.redis);
  connection.on('error', (err) => logger.warn({ err }, 'Redis connection error; reconnecting'));
  const queues = new ServiceQueues(connection, config);
  const connectors = new ConnectorCache(config);
  const deps = {
    db: options.db,
    connectorFor: (id: string) => connectors.connectorFor(id),
    clock: options.clock,
    logger,
    config,
  };
  const workers = startWorkers({ config, registry, deps, queues, logger });
  return {
    queues,
    workers,
    close: async () => {
      await workers.close();
      await queues.close();
      await connectors.close();
      connection.disconnect();
    },
  };
}
