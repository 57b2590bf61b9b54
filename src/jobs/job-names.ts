import type { PayloadOf } from './define-job.js';
import type { JOBS } from './definitions/index.js';

/**
 * The names and payload types of ezh's jobs, derived from their definitions
 * (`definitions/index.ts`): the one source of job names for handlers, queues, schedules, the
 * in-process runner and `ezh jobs`. Payloads are plain JSON (they live in Redis).
 */
type Defs = (typeof JOBS)[number];

export type JobPayloads = { [D in Defs as D['name']]: PayloadOf<D> };

export type JobName = keyof JobPayloads;
export type FollowUpJob = 'checks.run';

/** One job, typed by its name. */
export type JobSpec = { [N in JobName]: { name: N; payload: JobPayloads[N]; id: string } }[JobName];

export type QueueKind = 'sync' | 'checks' | 'alerts' | 'reports' | 'archive';

export const QUEUE_KINDS: QueueKind[] = ['sync', 'checks', 'alerts', 'reports', 'archive'];

export function jobSpec<N extends JobName>(name: N, payload: JobPayloads[N], id: string): JobSpec {
  return { name, payload, id } as JobSpec;
}

/** A job of any registry (a test's own job too), untyped: what the runners and queues carry. */
export interface AnyJobSpec {
  name: string;
  payload: unknown;
  id: string;
}
