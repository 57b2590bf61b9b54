import { z } from 'zod';
import { runScheduledArchives } from '../../app/archive-service.js';
import { defineJob } from '../define-job.js';

/** `weekly` (default): a regular archive; `period-end`: the archives of periods that just ended. */
export const archiveCreateJob = defineJob({
  name: 'archive.create',
  queue: 'archive',
  usesApp: true,
  payload: z.object({
    schoolId: z.string().optional(),
    asOf: z.number().int().optional(),
    trigger: z.enum(['weekly', 'period-end']).optional(),
  }),
  async handler(ctx, payload) {
    const runs = await runScheduledArchives(
      ctx.app,
      payload.trigger === 'period-end'
        ? { trigger: 'period-end', schoolId: payload.schoolId, asOf: payload.asOf }
        : { trigger: 'weekly', schoolId: payload.schoolId, asOf: payload.asOf },
      { logger: ctx.logger, clock: ctx.deps.clock },
    );
    return runs.flatMap((r) => r.archives.map((a) => a.fileName));
  },
});
