import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { ServiceQueues } from '../jobs/service-queues.js';
import type { SqlExecutor } from '../mirror/sql.js';
import type { Logger } from '../platform/logger.js';
import { jobDurationHistogram, type JobObserver } from './job-metrics.js';
import { databaseAnswers, redisAnswers } from './probes.js';
import { createMetricsRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

export interface WorkerMetrics {
  server: MetricsServer;
  /** Records one job attempt in `ezh_job_duration_seconds`. */
  observeJob: JobObserver;
}

/**
 * The endpoint `ezh worker` serves when `jobs.metrics.enabled` (GET /metrics, /health, /ready);
 * null when disabled. Binding fails (port in use) before any worker takes a job.
 */
export async function startWorkerMetrics(options: {
  config: Config;
  db: SqlExecutor;
  queues: ServiceQueues;
  connection: Redis;
  logger: Logger;
}): Promise<WorkerMetrics | null> {
  const m = options.config.jobs.metrics;
  if (!m.enabled) return null;
  const redisUp = () => redisAnswers(options.connection);
  const registry = createMetricsRegistry({
    db: options.db,
    queueDepth: () => options.queues.depth(),
    redisUp,
  });
  const observeJob = jobDurationHistogram(registry);
  const server = await startMetricsServer({
    registry,
    port: m.port,
    host: m.host,
    logger: options.logger,
    ready: { redis: redisUp, database: () => databaseAnswers(options.db) },
  });
  return { server, observeJob };
}
