import { z } from 'zod';
import { sendOperatorAlerts } from '../../alerts/index.js';
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
    const results = await sendOperatorAlerts(
      { db: ctx.deps.db, config: ctx.app.config, logger: ctx.logger, clock: ctx.deps.clock },
      { schoolId: payload.schoolId, asOf: payload.asOf ?? ctx.deps.clock.now() },
    );
    return results.map((r) => ({
      schoolId: r.schoolId,
      problems: r.problems,
      sent: r.sent.length,
    }));
  },
});
