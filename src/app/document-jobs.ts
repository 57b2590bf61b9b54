import { sendReports, sendScheduledDocument, type DocumentRenderer } from '../alerts/index.js';
import { SUBSCRIPTION_LETTERS, type SubscriptionDocument } from '../config/sections/alerts.js';
import { withRenderer } from '../reports/documents/context.js';
import type { PdfRenderer } from '../reports/pdf/renderer.js';
import { DOCUMENTS } from '../reports/registry.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { AppContext } from './context.js';
import { printWebRender } from './document-renders.js';
import {
  renderDocumentById,
  renderDocumentForJob,
  subscribedDocuments,
} from './documents-service.js';

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
  /** A document of the registry (reports/registry.ts). */
  report: string;
  asOf?: number;
  params?: Record<string, string>;
  /**
   * A document ordered on the web site (a `web_renders` row): printed with the params the page
   * recorded there (any document of the registry, params as the page parsed them) into the
   * render's folder, for every web process to serve.
   */
  render?: string;
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
  if (payload.render !== undefined) {
    return { render: payload.render, state: await printWebRender(app, payload.render) };
  }
  const asOf = payload.asOf ?? deps.clock.now();
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
  return (await renderDocumentForJob(app, { report: payload.report, schoolId, asOf, params })).path;
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
  const run = (renderer?: PdfRenderer) =>
    sendScheduledDocument(
      {
        db: deps.db,
        config: app.config,
        logger: deps.logger,
        clock: deps.clock,
        documents: subscribedDocuments(app, DOCUMENTS, renderer),
      },
      request,
    );
  // A printed document: one browser for the run (the weekly sheets are one PDF per class),
  // launched at the first PDF due; a letter without a PDF needs none (nor Chromium installed).
  const letter = (SUBSCRIPTION_LETTERS as readonly string[]).includes(request.document);
  const result = letter ? await run() : await withRenderer(app, undefined, run);
  if (result.length === 0) return null;
  const count = (status: string) =>
    result.reduce((n, r) => n + r.deliveries.filter((d) => d.status === status).length, 0);
  return {
    // One edition, or one per class (the weekly sheets): their names, each class once.
    edition: result.map((r) => r.edition).join(', '),
    sent: count('sent'),
    failed: count('failed'),
  };
}
