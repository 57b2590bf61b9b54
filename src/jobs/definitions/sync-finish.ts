import { z } from 'zod';
import { finishSchoolRun } from '../../app/sync-service.js';
import { defineJob } from '../define-job.js';
import { jobSpec } from '../job-names.js';
import { followUps, runId, schoolId } from './sync-payloads.js';

/** After every scope: the run's status; then the follow-up jobs (checks) the service says are due. */
export const syncFinishJob = defineJob({
  name: 'sync.finish',
  queue: 'sync',
  payload: z.object({ schoolId, runId, followUps }),
  async handler(ctx, payload) {
    const { status, followUps: due } = await finishSchoolRun(
      ctx.deps,
      payload.schoolId,
      payload.runId,
      payload.followUps ?? [],
    );
    const queued = due.map((name) =>
      jobSpec(
        name,
        { schoolId: payload.schoolId, syncRunId: payload.runId },
        `${payload.runId}.${name.replace('.', '-')}`,
      ),
    );
    if (queued.length > 0) await ctx.spawn({ children: queued });
    return { status };
  },
});
