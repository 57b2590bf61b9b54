import { z } from 'zod';
import { schoolZone } from '../../alerts/deps.js';
import { renderReportJob } from '../../app/document-jobs.js';
import { firedRange } from '../cron.js';
import { defineJob } from '../define-job.js';

/**
 * A document rendered (or, subscribed ones, sent to their subscribers) by a schedule or by hand.
 * `params.range: schedule` (the scheduled справка): it covers the 10 days since the schedule's
 * previous occurrence (004 §5.2). `render`: a document ordered on the web site (service mode), its
 * params read from the mirror (they may name a student: they are not put into Redis).
 */
export const reportsRenderJob = defineJob({
  name: 'reports.render',
  queue: 'reports',
  usesApp: true,
  payload: z.object({
    schoolId: z.string().optional(),
    /** A document of the registry (reports/registry.ts); its definition checks `params`. */
    report: z.string().min(1),
    asOf: z.number().int().optional(),
    params: z.record(z.string(), z.string()).optional(),
    /** A document ordered on the web site: the id of its `web_renders` row (params are there). */
    render: z.string().min(1).optional(),
  }),
  async handler(ctx, payload) {
    const { app } = ctx;
    const deps = { db: ctx.deps.db, logger: ctx.logger, clock: ctx.deps.clock };
    const schoolId = payload.schoolId;
    const range =
      app.config.alerts.enabled &&
      payload.report === 'audit' &&
      schoolId &&
      payload.params?.range === 'schedule'
        ? firedRange(
            app.config.jobs.schedules.auditReport.pattern,
            await schoolZone({ db: ctx.deps.db, config: app.config }, schoolId),
            payload.asOf ?? ctx.deps.clock.now(),
          )
        : null;
    return renderReportJob(app, deps, payload, range);
  },
});
