import { z } from 'zod';
import { createArchiveJob } from '../../archive/job.js';
import { reportsDocumentRenderer } from '../../app/archive-documents.js';
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
    const { app } = ctx;
    const renderer = await reportsDocumentRenderer(app, payload.schoolId);
    try {
      const mirror = await app.mirror();
      const runs = await createArchiveJob(
        { mirror, config: app.config, logger: ctx.logger, clock: ctx.deps.clock, renderer },
        payload.trigger === 'period-end'
          ? { trigger: 'period-end', schoolId: payload.schoolId, asOf: payload.asOf }
          : { trigger: 'weekly', schoolId: payload.schoolId, asOf: payload.asOf },
      );
      return runs.flatMap((r) => r.archives.map((a) => a.fileName));
    } finally {
      await renderer.close?.();
    }
  },
});
