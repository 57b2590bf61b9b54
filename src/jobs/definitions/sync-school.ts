import { z } from 'zod';
import { checkClassName, runSchoolStage, startRun } from '../../sync/engine.js';
import { defineJob } from '../define-job.js';
import { jobSpec } from '../job-names.js';
import { groupJobs, runIdFromJobId } from './sync-fan-out.js';
import { followUps, runId, schoolId, syncRequest } from './sync-payloads.js';

/** Starts (or resumes) a school's sync run: reads the school scope and fans out class scopes. */
export const syncSchoolJob = defineJob({
  name: 'sync.school',
  queue: 'sync',
  payload: z.object({
    schoolId,
    request: syncRequest,
    runId: runId.optional(),
    followUps,
  }),
  async handler(ctx, payload) {
    // A job that starts a run of its own (a schedule, `ezh jobs run sync --class …`) refuses an
    // unknown class before any run is recorded, as `ezh sync` does; a job of a run a door began
    // (`runId`) was checked there.
    if (payload.runId === undefined) {
      await checkClassName(ctx.deps, payload.schoolId, payload.request);
    }
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
  },
});
