import { z } from 'zod';
import { planWindowScopes } from '../../app/sync-service.js';
import { defineJob } from '../define-job.js';
import { jobSpec } from '../job-names.js';
import { groupJobs } from './sync-fan-out.js';
import { followUps, runId, schoolId } from './sync-payloads.js';

/** After the class scopes: plans window scopes and fans them out. */
export const syncWindowsJob = defineJob({
  name: 'sync.windows',
  queue: 'sync',
  payload: z.object({ schoolId, runId, followUps }),
  async handler(ctx, payload) {
    const groups = await planWindowScopes(ctx.deps, payload.runId);
    await ctx.spawn({
      children: groupJobs(payload.schoolId, payload.runId, groups),
      then: jobSpec('sync.finish', payload, `${payload.runId}.finish`),
    });
    return { groups: groups.length };
  },
});
