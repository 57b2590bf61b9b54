import { z } from 'zod';
import { runFinishStage } from '../../sync/engine.js';
import { defineJob } from '../define-job.js';
import { jobSpec } from '../job-names.js';
import { followUps, runId, schoolId } from './sync-payloads.js';

/** After every scope: the run's status; then the follow-up jobs (checks). */
export const syncFinishJob = defineJob({
  name: 'sync.finish',
  queue: 'sync',
  payload: z.object({ schoolId, runId, followUps }),
  async handler(ctx, payload) {
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
    const queued = (complete ? (payload.followUps ?? []) : []).map((name) =>
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
