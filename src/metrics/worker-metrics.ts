import type { Config } from '../config/schema.js';
import type { ServiceQueues } from '../jobs/service-queues.js';
import type { SqlExecutor } from '../mirror/sql.js';
import type { Logger } from '../platform/logger.js';
import { createMetricsRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

/** The endpoint `ezh worker` serves when `jobs.metrics.enabled`; null when disabled. */
export async function startWorkerMetrics(options: {
  config: Config;
  db: SqlExecutor;
  queues: ServiceQueues;
  logger: Logger;
}): Promise<MetricsServer | null> {
  const m = options.config.jobs.metrics;
  if (!m.enabled) return null;
  const registry = createMetricsRegistry({
    db: options.db,
    queueDepth: () => options.queues.depth(),
  });
  return startMetricsServer({ registry, port: m.port, host: m.host, logger: options.logger });
}
