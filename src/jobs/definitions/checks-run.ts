import { z } from 'zod';
import { runChecksForApp } from '../../app/checks-service.js';
import { defineJob } from '../define-job.js';

/**
 * The checks of a school, stored as a run; after a sync (`jobs.afterSync`) or by hand. The as-of
 * instant goes to the same call `ezh check` makes as the number it is: without one, the mirror's
 * present (clamped to the last successful sync, a current run), as a plain `ezh check`.
 */
export const checksRunJob = defineJob({
  name: 'checks.run',
  queue: 'checks',
  usesApp: true,
  payload: z.object({
    schoolId: z.string().min(1),
    asOf: z.number().int().optional(),
    syncRunId: z.string().optional(),
  }),
  async handler(ctx, payload) {
    const { runs } = await runChecksForApp(ctx.app, {
      school: payload.schoolId,
      asOf: payload.asOf,
      clock: ctx.deps.clock,
    });
    return runs.map((r) => ({
      runId: r.runId,
      kind: r.kind,
      findings: r.findings.length,
      new: r.newCount,
      resolved: r.resolvedCount,
    }));
  },
});
