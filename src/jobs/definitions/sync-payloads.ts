import { z } from 'zod';
import type { SyncRequest } from '../../sync/request.js';
import type { PlannedScope } from '../../sync/scope.js';

/** Payload parts the sync jobs share (they travel from one stage's job to the next). */

export const schoolId = z.string().min(1);
export const runId = z.string().min(1);

export const syncRequest = z.object({
  mode: z.enum(['incremental', 'hourly', 'reconcile', 'full', 'backfill', 'confirm']),
  from: z.string().optional(),
  to: z.string().optional(),
  className: z.string().optional(),
}) satisfies z.ZodType<SyncRequest>;

/** The jobs queued after a complete sync (`jobs.afterSync`). */
export const followUps = z.array(z.enum(['checks.run'])).optional();

/** A scope as the planner made it: checked for its shape, kept as it is (its key names its checkpoint). */
export const plannedScope = z.custom<PlannedScope>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as PlannedScope).key === 'string' &&
    typeof (v as PlannedScope).kind === 'string' &&
    typeof (v as PlannedScope).schoolId === 'string' &&
    Array.isArray((v as PlannedScope).streams),
  { message: 'expected a planned scope (key, kind, schoolId, streams)' },
);
