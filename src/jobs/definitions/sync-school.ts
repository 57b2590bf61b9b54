import { z } from 'zod';
import { beginSchoolRun } from '../../app/sync-service.js';
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
    // A run a door began (`runId`: `ezh sync`) had its class checked there; any other is checked
    // by the service before a run is recorded.
    const { runId: run, groups } = await beginSchoolRun(
      ctx.deps,
      payload.schoolId,
      payload.request,
      {
        id: payload.runId ?? runIdFromJobId(ctx.jobId),
        checked: payload.runId !== undefined,
      },
    );
    await ctx.spawn({
      children: groupJobs(payload.schoolId, run, groups),
      then: jobSpec(
        'sync.windows',
        { schoolId: payload.schoolId, runId: run, followUps: payload.followUps },
        `${run}.windows`,
      ),
    });
    return { runId: run };
  },
});
