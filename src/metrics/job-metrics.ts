import { Histogram, type Registry } from 'prom-client';

/**
 * How a job attempt ended, as the worker saw it: `completed`; `retry` (failed, BullMQ tries
 * again); `failed` (no attempt left, or permanent); `rate_limited` (queue paused, no attempt
 * spent); `interrupted` (the worker stopped between scopes and put the job back).
 */
export type JobOutcome = 'completed' | 'retry' | 'failed' | 'rate_limited' | 'interrupted';

export type JobObserver = (job: string, outcome: JobOutcome, durationMs: number) => void;

/**
 * Durations of the job attempts this worker process ran, by job name and outcome. Unlike the
 * mirror figures these are per process (Prometheus sums them over the workers it scrapes).
 */
export function jobDurationHistogram(registry: Registry): JobObserver {
  const histogram = new Histogram({
    name: 'ezh_job_duration_seconds',
    help: 'Duration of job attempts run by this worker process, by job name and outcome',
    labelNames: ['job', 'outcome'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  return (job, outcome, durationMs) => histogram.observe({ job, outcome }, durationMs / 1000);
}
