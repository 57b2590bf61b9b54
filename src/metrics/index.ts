/** Prometheus metrics of service mode: figures read from the mirror and the queues at scrape time. */
export { createMetricsRegistry, QUEUE_STATES, type MetricsSources } from './registry.js';
export { startMetricsServer, type MetricsServer, type ReadinessChecks } from './server.js';
export { startWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';
export { jobDurationHistogram, type JobObserver, type JobOutcome } from './job-metrics.js';
export * from './mirror-figures.js';
