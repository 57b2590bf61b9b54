import { z } from 'zod';
import { schoolZone } from '../../alerts/deps.js';
import { sendScheduledDocumentJob } from '../../app/document-jobs.js';
import { firedRange } from '../cron.js';
import { defineJob } from '../define-job.js';

/**
 * A subscription's document, made and mailed to its subscribers: `schedule` is the cron pattern
 * that fired it, so the document covers the time since its previous occurrence (the 10-day
 * справка of 004 §5.2, last month's activity, the sync health since the last letter).
 */
export const alertsDocumentJob = defineJob({
  name: 'alerts.document',
  queue: 'alerts',
  usesApp: true,
  payload: z.object({
    schoolId: z.string().min(1),
    /** A letter (archive, sync-health) or a printed document of the registry. */
    document: z.string().min(1),
    schedule: z.string().optional(),
    tz: z.string().optional(),
    asOf: z.number().int().optional(),
  }),
  async handler(ctx, payload) {
    const { app } = ctx;
    const now = payload.asOf ?? ctx.deps.clock.now();
    const tz =
      payload.tz ?? (await schoolZone({ db: ctx.deps.db, config: app.config }, payload.schoolId));
    const range = payload.schedule ? firedRange(payload.schedule, tz, now) : null;
    return sendScheduledDocumentJob(
      app,
      { db: ctx.deps.db, logger: ctx.logger, clock: ctx.deps.clock },
      {
        schoolId: payload.schoolId,
        document: payload.document,
        asOf: range?.fired ?? now,
        from: range?.from ?? null,
      },
    );
  },
});
