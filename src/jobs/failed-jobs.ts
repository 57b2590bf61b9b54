import type { Job } from 'bullmq';
import type { QueueKind } from './job-names.js';
import type { ServiceQueues } from './service-queues.js';

/**
 * Failed jobs stay in their queue's failed set (BullMQ has no dead-letter queue; the failed set
 * with `keepFailed` retention plays that role). `ezh jobs list|retry` reads and re-queues them.
 */
export interface FailedJob {
  queue: QueueKind;
  id: string;
  name: string;
  attempts: number;
  failedAt: number | null;
  reason: string;
}

export async function listFailed(queues: ServiceQueues, limit = 100): Promise<FailedJob[]> {
  const out: FailedJob[] = [];
  for (const [kind, queue] of queues.queues) {
    const jobs: Job[] = await queue.getFailed(0, limit - 1);
    for (const job of jobs) {
      out.push({
        queue: kind,
        id: job.id ?? '',
        name: job.name,
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ?? null,
        reason: job.failedReason ?? '',
      });
    }
  }
  return out.sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0));
}

/** Re-queues failed jobs by id (all failed jobs when `ids` is empty); returns the ids re-queued. */
export async function retryFailed(
  queues: ServiceQueues,
  ids: readonly string[],
): Promise<string[]> {
  const wanted = new Set(ids);
  const retried: string[] = [];
  for (const queue of queues.queues.values()) {
    for (const job of await queue.getFailed(0, -1)) {
      if (!job.id || (wanted.size > 0 && !wanted.has(job.id))) continue;
      await job.retry('failed', { resetAttemptsMade: true });
      retried.push(job.id);
    }
  }
  return retried;
}
