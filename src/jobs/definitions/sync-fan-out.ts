import { sha1 } from '../../mirror/hash.js';
import type { PlannedScope } from '../../sync/scope.js';
import { jobSpec, type JobSpec } from '../job-names.js';

/**
 * How the sync jobs fan out: `sync.school` → (class scope groups) → `sync.windows` → (window scope
 * groups) → `sync.finish` → follow-ups. Job ids derive from the run id and scope keys, so a stage
 * that runs twice enqueues nothing twice, and each scope skips itself once its checkpoint names
 * the run.
 */

export function groupJobId(runId: string, scopes: readonly PlannedScope[]): string {
  return `${runId}.g.${sha1(scopes.map((s) => s.key).join('|')).slice(0, 20)}`;
}

export function groupJobs(schoolId: string, runId: string, groups: PlannedScope[][]): JobSpec[] {
  return groups.map((scopes) =>
    jobSpec('sync.scopes', { schoolId, runId, scopes }, groupJobId(runId, scopes)),
  );
}

/** BullMQ job ids may not contain `:` (scheduler job ids do). */
export function runIdFromJobId(jobId: string): string {
  return `run-${jobId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}
