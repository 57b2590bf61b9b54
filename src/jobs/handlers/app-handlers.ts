import {
  sendAlerts,
  sendOperatorAlerts,
  sendReports,
  sendScheduledDocument,
  type DocumentRenderer,
} from '../../alerts/index.js';
import { schoolZone } from '../../alerts/deps.js';
import { firedRange } from '../cron.js';
import { createArchiveJob } from '../../archive/job.js';
import { reportsDocumentRenderer } from '../../archive/reports-renderer.js';
import { runChecksForApp } from '../../checks/for-app.js';
import type { AppContext } from '../../app/context.js';
import { instantToIso } from '../../platform/time.js';
import {
  renderDocumentById,
  renderDocumentForJob,
  subscribedDocuments,
} from '../../app/documents-service.js';
import type { HandlerRegistry } from '../registry.js';

/**
 * The jobs after a sync: checks, alerts, documents and archives, as handlers of the same registry
 * the sync handlers live in, so embedded and service mode run them alike. Each is idempotent:
 * checks upsert findings by their stable key, alerts keep a delivery per finding and recipient,
 * documents are written under a deterministic name, and an archive run is recorded before its
 * files are renamed into place.
 */
export function registerAppHandlers(registry: HandlerRegistry, app: AppContext): void {
  registry.register('checks.run', async (payload, ctx) => {
    // No as-of in the job: the mirror's present, as a plain `ezh check` (an explicit "now" would
    // be a what-if run, and a scheduled check would never open or resolve a finding).
    const asOf = payload.asOf === undefined ? undefined : (instantToIso(payload.asOf) ?? undefined);
    const { runs } = await runChecksForApp(app, {
      school: payload.schoolId,
      asOf,
      clock: ctx.deps.clock,
    });
    return runs.map((r) => ({
      runId: r.runId,
      kind: r.kind,
      findings: r.findings.length,
      new: r.newCount,
      resolved: r.resolvedCount,
    }));
  });

  registry.register('alerts.send', async (payload, ctx) => {
    const result = await sendAlerts(
      { db: ctx.deps.db, config: app.config, logger: ctx.logger, clock: ctx.deps.clock },
      {
        schoolId: payload.schoolId,
        asOf: payload.asOf ?? ctx.deps.clock.now(),
        dryRun: payload.dryRun,
      },
    );
    return { sent: result.sent, failed: result.failed, noAddress: result.noAddress };
  });

  registry.register('alerts.document', async (payload, ctx) => {
    const now = payload.asOf ?? ctx.deps.clock.now();
    const tz =
      payload.tz ?? (await schoolZone({ db: ctx.deps.db, config: app.config }, payload.schoolId));
    // The document covers the time since the schedule's previous occurrence (10 days for the справка).
    const range = payload.schedule ? firedRange(payload.schedule, tz, now) : null;
    const result = await sendScheduledDocument(
      {
        db: ctx.deps.db,
        config: app.config,
        logger: ctx.logger,
        clock: ctx.deps.clock,
        documents: subscribedDocuments(app),
      },
      {
        schoolId: payload.schoolId,
        document: payload.document,
        asOf: range?.fired ?? now,
        from: range?.from ?? null,
      },
    );
    return result
      ? {
          edition: result.edition,
          sent: result.deliveries.filter((d) => d.status === 'sent').length,
          failed: result.deliveries.filter((d) => d.status === 'failed').length,
        }
      : null;
  });

  registry.register('alerts.operator', async (payload, ctx) => {
    const results = await sendOperatorAlerts(
      { db: ctx.deps.db, config: app.config, logger: ctx.logger, clock: ctx.deps.clock },
      { schoolId: payload.schoolId, asOf: payload.asOf ?? ctx.deps.clock.now() },
    );
    return results.map((r) => ({
      schoolId: r.schoolId,
      problems: r.problems,
      sent: r.sent.length,
    }));
  });

  registry.register('reports.render', async (payload, ctx) => {
    const asOf = payload.asOf ?? ctx.deps.clock.now();
    const schoolId = payload.schoolId;
    const params = payload.params ?? {};
    const subscribed =
      app.config.alerts.enabled && (payload.report === 'audit' || payload.report === 'performance');
    if (subscribed) {
      // Scheduled documents go to their subscribers as PDF attachments, once per edition.
      const render: DocumentRenderer = async (kind, o) =>
        (
          await renderDocumentById(
            app,
            kind,
            kind === 'audit'
              ? { asOf: o.asOf, ...(o.from !== undefined ? { from: o.from } : {}) }
              : { period: o.period ?? '' },
            { schoolId: o.schoolId },
          )
        ).path;
      // The scheduled справка covers the 10 days since the schedule's previous occurrence (004 §5.2).
      const range =
        payload.report === 'audit' && schoolId && params.range === 'schedule'
          ? firedRange(
              app.config.jobs.schedules.auditReport.pattern,
              await schoolZone({ db: ctx.deps.db, config: app.config }, schoolId),
              asOf,
            )
          : null;
      return sendReports(
        { db: ctx.deps.db, config: app.config, logger: ctx.logger, clock: ctx.deps.clock, render },
        {
          kind: payload.report as 'audit' | 'performance',
          period: params.period,
          asOf: range?.fired ?? asOf,
          ...(range?.from != null ? { from: range.from } : {}),
          schoolId,
        },
      );
    }
    return (await renderDocumentForJob(app, { report: payload.report, schoolId, asOf, params }))
      .path;
  });

  registry.register('archive.create', async (payload, ctx) => {
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
  });
}
