import { sendReports, sendScheduledDocument, type DocumentRenderer } from '../alerts/index.js';
import type { SubscriptionDocument } from '../config/sections/alerts.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { renderActivity, renderAudit, renderJournal, renderPerformance } from '../reports/index.js';
import type { AppContext } from './context.js';

/**
 * The documents the jobs make (`reports.render`, `alerts.document`): rendered, or made and mailed
 * to their subscribers. One function per job, so the document registry can replace what is inside
 * without touching the job definitions.
 */

export interface DocumentJobDeps {
  db: SqlDb;
  logger: Logger;
  clock: Clock;
}

export interface RenderReportRequest {
  schoolId?: string;
  report: 'audit' | 'performance' | 'activity' | 'journal';
  asOf?: number;
  params?: Record<string, string>;
}

/** The time a scheduled document covers: from the schedule's previous occurrence to this one. */
export interface FiredRange {
  fired: number;
  from: number | null;
}

/** `reports.render`: a document rendered, or (subscribed ones) sent as PDF attachments. */
export async function renderReportJob(
  app: AppContext,
  deps: DocumentJobDeps,
  payload: RenderReportRequest,
  /** The scheduled справка's range (`params.range: schedule`), worked out by the job. */
  range: FiredRange | null = null,
): Promise<unknown> {
  const asOf = payload.asOf ?? deps.clock.now();
  const schoolId = payload.schoolId;
  const params = payload.params ?? {};
  const subscribed =
    app.config.alerts.enabled && (payload.report === 'audit' || payload.report === 'performance');
  if (subscribed) {
    // Scheduled documents go to their subscribers as PDF attachments, once per edition.
    const render: DocumentRenderer = (kind, o) =>
      kind === 'audit'
        ? renderAudit(app, {
            asOf: o.asOf,
            schoolId: o.schoolId,
            ...(o.from !== undefined ? { from: o.from } : {}),
          })
        : renderPerformance(app, { period: o.period ?? '', schoolId: o.schoolId });
    return sendReports(
      { db: deps.db, config: app.config, logger: deps.logger, clock: deps.clock, render },
      {
        kind: payload.report as 'audit' | 'performance',
        period: params.period,
        asOf: range?.fired ?? asOf,
        ...(range?.from != null ? { from: range.from } : {}),
        schoolId,
      },
    );
  }
  switch (payload.report) {
    case 'audit':
      return renderAudit(app, { asOf, schoolId });
    case 'performance':
      return renderPerformance(app, { period: required(params, 'period'), schoolId });
    case 'activity':
      return renderActivity(app, { month: required(params, 'month'), schoolId });
    case 'journal':
      return renderJournal(app, {
        className: required(params, 'class'),
        period: params.period ?? null,
        schoolId,
      });
  }
}

export interface ScheduledDocumentRequest {
  schoolId: string;
  document: SubscriptionDocument;
  /** The occurrence that fired it. */
  asOf: number;
  /** The schedule's previous occurrence: the document covers the time since (null: its default). */
  from: number | null;
}

/** `alerts.document`: a subscription's document, made and mailed to its subscribers. */
export async function sendScheduledDocumentJob(
  app: AppContext,
  deps: DocumentJobDeps,
  request: ScheduledDocumentRequest,
): Promise<unknown> {
  const result = await sendScheduledDocument(
    {
      db: deps.db,
      config: app.config,
      logger: deps.logger,
      clock: deps.clock,
      renderers: {
        audit: (o) =>
          renderAudit(app, {
            asOf: o.asOf,
            schoolId: o.schoolId,
            ...(o.from !== null ? { from: o.from } : {}),
          }),
        activity: (o) => renderActivity(app, { month: o.month, schoolId: o.schoolId }),
        performance: (o) => renderPerformance(app, { period: o.period, schoolId: o.schoolId }),
      },
    },
    request,
  );
  return result
    ? {
        edition: result.edition,
        sent: result.deliveries.filter((d) => d.status === 'sent').length,
        failed: result.deliveries.filter((d) => d.status === 'failed').length,
      }
    : null;
}

function required(params: Record<string, string>, key: string): string {
  const v = params[key];
  if (!v) throw new Error(`reports.render needs params.${key}`);
  return v;
}
