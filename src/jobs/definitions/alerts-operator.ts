import { z } from 'zod';
import { sendOperatorAlertsForApp } from '../../app/alerts-service.js';
import { defineJob } from '../define-job.js';

/** Operator alerts: each sync or archive problem once to the sync-health subscribers, and recovery. */
export const alertsOperatorJob = defineJob({
  name: 'alerts.operator',
  queue: 'alerts',
  usesApp: true,
  payload: z.object({
    schoolId: z.string().optional(),
    asOf: z.number().int().optional(),
  }),
  async handler(ctx, payload) {
    const results = await sendOperatorAlertsForApp(
      ctx.app,
      { schoolId: payload.schoolId, asOf: payload.asOf ?? ctx.deps.clock.now() },
      { db: ctx.deps.db, logger: ctx.logger, clock: ctx.deps.clock },
    );
    return results.map((r) => ({
      schoolId: r.schoolId,
      problems: r.problems,
      sent: r.sent.length,
    }));
  },
});
