import { z } from 'zod';
import { sendFindingAlerts } from '../../app/alerts-service.js';
import { defineJob } from '../define-job.js';

/** The findings' alerts, once per finding and recipient. */
export const alertsSendJob = defineJob({
  name: 'alerts.send',
  queue: 'alerts',
  usesApp: true,
  payload: z.object({
    schoolId: z.string().optional(),
    asOf: z.number().int().optional(),
    dryRun: z.boolean().optional(),
  }),
  async handler(ctx, payload) {
    const result = await sendFindingAlerts(
      ctx.app,
      {
        schoolId: payload.schoolId,
        asOf: payload.asOf ?? ctx.deps.clock.now(),
        dryRun: payload.dryRun,
      },
      { db: ctx.deps.db, logger: ctx.logger, clock: ctx.deps.clock },
    );
    return { sent: result.sent, failed: result.failed, noAddress: result.noAddress };
  },
});
