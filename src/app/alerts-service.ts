import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppContext } from './context.js';
import {
  renderDocumentById,
  subscribableDocumentIds,
  subscribedDocuments,
} from './documents-service.js';
import {
  sendAlerts,
  sendOperatorAlerts,
  sendReports,
  sendScheduledDocument,
  type AlertDeps,
  type AlertRunResult,
  type DocumentRenderer,
  type DocumentRunResult,
  type OperatorAlertResult,
  type ReportKind,
  type ScheduledEdition,
  type SubscribedDocuments,
} from '../alerts/index.js';
import type { SqlDb } from '../mirror/sql.js';
import { asOfInstant, loadSchoolContexts } from '../mirror/school-context.js';
import type { Clock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/**
 * The alerts service: `ezh alerts send|reports` and the `alerts.send` / `alerts.operator` jobs
 * (and the coming web site) send through these calls, so the alert modules get their
 * dependencies (mirror, config, logger, clock, the document renderer) wired in one place.
 */

/** A job's own mirror handle, logger and clock; a command uses the app's. */
export interface AlertRunDeps {
  db: SqlDb;
  logger: Logger;
  clock: Clock;
}

export interface SendAlertsRequest {
  asOf: number;
  dryRun?: boolean;
  schoolId?: string;
}

export interface SendReportsRequest {
  /**
   * A document of the registry people subscribe to (`subscribableDocumentIds`). The audit note
   * and the period results keep the editions `ezh alerts reports` has always sent (a day's note,
   * the given period); every other document sends its subscription's edition as of `asOf`.
   */
  kind: string;
  /** Reporting period (performance). */
  period?: string;
  asOf: number;
  dryRun?: boolean;
  schoolId?: string;
  /** An already rendered PDF to send instead of rendering the document. */
  file?: string;
}

export interface OperatorAlertsRequest {
  asOf: number;
  schoolId?: string;
}

async function alertDeps(app: AppContext, run: AlertRunDeps | undefined): Promise<AlertDeps> {
  if (run) return { db: run.db, config: app.config, logger: run.logger, clock: run.clock };
  return { db: (await app.mirror()).db, config: app.config, logger: app.logger, clock: app.clock };
}

/**
 * An as-of given as text (`--as-of`, an ISO instant or a local date-time), read in the zone of the
 * school(s) concerned (SchoolContext); none: the clock's now.
 */
export async function alertsAsOf(
  app: AppContext,
  text: string | undefined,
  schoolId: string | undefined,
): Promise<number> {
  if (text === undefined) return app.clock.now();
  const schools = await loadSchoolContexts((await app.mirror()).db, app.config);
  return asOfInstant(text, () => schools.zoneFor(schoolId));
}

/** Each recipient gets the findings not yet sent to them (and reminders that are due). */
export async function sendFindingAlerts(
  app: AppContext,
  request: SendAlertsRequest,
  run?: AlertRunDeps,
): Promise<AlertRunResult> {
  return sendAlerts(await alertDeps(app, run), {
    asOf: request.asOf,
    dryRun: request.dryRun ?? false,
    schoolId: request.schoolId,
  });
}

/** The audit note or the period results mailed to their subscribers, once per edition. */
export async function sendSubscribedReports(
  app: AppContext,
  request: SendReportsRequest,
  run?: AlertRunDeps,
): Promise<DocumentRunResult[]> {
  const deps = await alertDeps(app, run);
  if (!HAND_EDITIONS.includes(request.kind)) {
    return sendSubscriptionEditions(app, deps, request);
  }
  return sendReports(
    { ...deps, render: rendererFor(app, request.file) },
    {
      kind: request.kind as ReportKind,
      period: request.period,
      asOf: request.asOf,
      dryRun: request.dryRun ?? false,
      schoolId: request.schoolId,
    },
  );
}

/** The documents whose hand-sent editions are their own (see `SendReportsRequest.kind`). */
const HAND_EDITIONS: readonly string[] = ['audit', 'performance'] satisfies ReportKind[];

/** Any other subscribed document: its subscription's edition as of `asOf`, school by school. */
async function sendSubscriptionEditions(
  app: AppContext,
  deps: AlertDeps,
  request: SendReportsRequest,
): Promise<DocumentRunResult[]> {
  const known = subscribableDocumentIds();
  if (!known.includes(request.kind)) {
    throw new UsageError(`no subscribed document ${JSON.stringify(request.kind)}`, [
      `expected one of ${known.join(', ')}`,
    ]);
  }
  const schools = await loadSchoolContexts(deps.db, app.config);
  const ids = schools.select(request.schoolId).map((s) => s.id);
  const registry = subscribedDocuments(app);
  const file = request.file;
  const documents: SubscribedDocuments = file
    ? (id) => {
        const document = registry(id);
        return (
          document && {
            ...document,
            // One given file cannot stand for one class's sheet per class teacher: that would mail
            // every class's teacher the same class's personal data.
            edition: async (o) => {
              const editions = await document.edition(o);
              const list = editions === null ? [] : Array.isArray(editions) ? editions : [editions];
              if (list.some((e: ScheduledEdition) => e.classId !== undefined)) {
                throw new UsageError(
                  `--file cannot be sent as ${request.kind}: it has one edition per class`,
                );
              }
              return editions;
            },
            render: async () => givenFile(file),
          }
        );
      }
    : registry;
  const results: DocumentRunResult[] = [];
  for (const schoolId of ids) {
    const sent = await sendScheduledDocument(
      { ...deps, documents },
      {
        schoolId,
        document: request.kind,
        asOf: request.asOf,
        from: null,
        dryRun: request.dryRun ?? false,
      },
    );
    results.push(...sent);
  }
  return results;
}

/** Each sync or archive problem once to the sync-health subscribers, and recovery. */
export async function sendOperatorAlertsForApp(
  app: AppContext,
  request: OperatorAlertsRequest,
  run?: AlertRunDeps,
): Promise<OperatorAlertResult[]> {
  return sendOperatorAlerts(await alertDeps(app, run), request);
}

/** The PDF to mail: `file` as given, or rendered from the document registry (one browser per call). */
function rendererFor(app: AppContext, file: string | undefined): DocumentRenderer {
  return async (kind, { schoolId, asOf, period }) => {
    if (file) return givenFile(file);
    const params = kind === 'audit' ? { asOf } : { period: period ?? '' };
    return (await renderDocumentById(app, kind, params, { schoolId })).path;
  };
}

/** `--file`: an already rendered PDF, sent as it is. */
function givenFile(file: string): string {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`--file not found: ${file}`);
  return path;
}
