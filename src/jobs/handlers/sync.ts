import { sha1 } from '../../mirror/hash.js';
import {
  runFinishStage,
  runPlanWindowsStage,
  runSchoolStage,
  runScopeGroup,
  startRun,
} from '../../sync/engine.js';
import type { PlannedScope } from '../../sync/scope.js';
import { jobSpec, type JobSpec } from '../job-names.js';
import type { HandlerRegistry } from '../registry.js';

/**
 * Sync as jobs: `sync.school` → (class scope groups) → `sync.windows` → (window scope groups) →
 * `sync.finish` → follow-ups. Job ids derive from the run id and scope keys, so a stage that runs
 * twice enqueues nothing twice, and each scope skips itself once its checkpoint names the run.
 */

export function groupJobId(runId: string, scopes: readonly PlannedScope[]): string {
  return `${runId}.g.${sha1(scopes.map((s) => s.key).join('|')).slice(0, 20)}`;
}

function groupJobs(schoolId: string, runId: string, groups: PlannedScope[][]): JobSpec[] {
  return groups.map((scopes) =>
    jobSpec('sync.scopes', { schoolId, runId, scopes }, groupJobId(runId, scopes)),
  );
}

/** BullMQ job ids may not contain `:` (scheduler job ids do). */
export function runIdFromJobId(jobId: string): string {
  return `run-${jobId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

export function registerSyncHandlers(registry: HandlerRegistry): void {
  registry.register('sync.school', async (payload, ctx) => {
    const { run } = await startRun(
      ctx.deps,
      payload.schoolId,
      payload.request,
      payload.runId ?? runIdFromJobId(ctx.jobId),
    );
    const groups = await runSchoolStage(ctx.deps, run.id);
    await ctx.spawn({
      children: groupJobs(payload.schoolId, run.id, groups),
      then: jobSpec(
        'sync.windows',
        { schoolId: payload.schoolId, runId: run.id, followUps: payload.followUps },
        `${run.id}.windows`,
      ),
    });
    return { runId: run.id };
  });

  registry.register('sync.windows', async (payload, ctx) => {
    const groups = await runPlanWindowsStage(ctx.deps, payload.runId);
    await ctx.spawn({
      children: groupJobs(payload.schoolId, payload.runId, groups),
      then: jobSpec('sync.finish', payload, `${payload.runId}.finish`),
    });
    return { groups: groups.length };
  });

  registry.register('sync.scopes', async (payload, ctx) => {
    const outcomes = await runScopeGroup(ctx.deps, payload.runId, payload.scopes, {
      signal: ctx.signal,
    });
    return {
      done: outcomes.filter((o) => !o.skipped).length,
      skipped: outcomes.filter((o) => o.skipped).length,
    };
  });

  registry.register('sync.finish', async (payload, ctx) => {
    const status = await runFinishStage(ctx.deps, payload.runId);
    // Checks after a sync that read every scope only: after a failed or partial one the mirror's
    // present (its last successful sync) has not moved, and a check would repeat the last one.
    const complete = status === 'succeeded' || status === 'held';
    if (!complete && (payload.followUps ?? []).length > 0) {
      ctx.logger.warn(
        { run: payload.runId, school: payload.schoolId, status },
        'sync did not complete: its follow-up jobs are not queued',
      );
    }
    const followUps = (complete ? (payload.followUps ?? []) : []).map((name) =>
      jobSpec(
        name,
        { schoolId: payload.schoolId, syncRunId: payload.runId },
        `${payload.runId}.${name.replace('.', '-')}`,
      ),
    );
    if (followUps.length > 0) await ctx.spawn({ children: followUps });
    return { status };
  });
}
