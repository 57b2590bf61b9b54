import type { Job } from 'bullmq';
import type { QueueKind } from './job-names.js';
import type { ServiceQueues } from './service-queues.js';

/**
 * What the queues hold now, for `ezh jobs list`: running jobs with the worker that holds each
 * (BullMQ's `processedBy`, a worker's `host:pid`), waiting, delayed and failed ones, so an
 * operator sees a run in progress before reaching for anything else.
 */

export const LISTED_STATES = [
  'active',
  'waiting',
  'prioritized',
  'waiting-children',
  'delayed',
  'failed',
] as const;
export type ListedState = (typeof LISTED_STATES)[number];

export interface ListedJob {
  queue: QueueKind;
  state: ListedState;
  id: string;
  name: string;
  /** The worker holding an active job (host:pid); null otherwise. */
  worker: string | null;
  attempts: number;
  /** Active: started; delayed: due; failed: failed; else queued (epoch ms). */
  at: number | null;
  reason: string;
}

export async function listJobs(
  queues: ServiceQueues,
  states: readonly ListedState[] = LISTED_STATES,
  limit = 100,
): Promise<ListedJob[]> {
  const out: ListedJob[] = [];
  for (const [kind, queue] of queues.queues) {
    for (const state of states) {
      const jobs: Job[] = await queue.getJobs([state], 0, limit - 1, true);
      for (const job of jobs) {
        if (!job) continue;
        out.push({
          queue: kind,
          state,
          id: job.id ?? '',
          name: job.name,
          worker: state === 'active' ? (job.processedBy ?? null) : null,
          attempts: job.attemptsMade,
          at: timeOf(job, state),
          reason: state === 'failed' ? (job.failedReason ?? '') : '',
        });
      }
    }
  }
  return out;
}

function timeOf(job: Job, state: ListedState): number | null {
  switch (state) {
    case 'active':
      return job.processedOn ?? null;
    case 'delayed':
      return job.timestamp + (job.delay ?? 0);
    case 'failed':
      return job.finishedOn ?? null;
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return job.timestamp ?? null;
  }
}
