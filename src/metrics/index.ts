/** Prometheus metrics of service mode: figures read from the mirror and the queues at scrape time. */
export { createMetricsRegistry, QUEUE_STATES, type MetricsSources } from './registry.js';
export { startMetricsServer, type MetricsServer } from './server.js';
export { startWorkerMetrics } from './worker-metrics.js';
export * from './mirror-figures.js';
