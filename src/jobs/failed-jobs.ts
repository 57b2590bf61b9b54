import type { ServiceQueues } from './service-queues.js';

/**
 * Failed jobs stay in their queue's failed set (BullMQ has no dead-letter queue; the failed set
 * with `keepFailed` retention plays that role); `job-list.ts` lists them. Re-queues failed jobs
 * by id (all failed jobs when `ids` is empty); returns the ids re-queued.
 */
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
