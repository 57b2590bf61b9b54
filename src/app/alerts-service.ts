import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppContext } from './context.js';
import { renderDocumentById } from './documents-service.js';
import {
  sendAlerts,
  sendOperatorAlerts,
  sendReports,
  type AlertDeps,
  type AlertRunResult,
  type DocumentRenderer,
  type DocumentRunResult,
  type OperatorAlertResult,
  type ReportKind,
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
  kind: ReportKind;
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
  return sendReports(
    { ...(await alertDeps(app, run)), render: rendererFor(app, request.file) },
    {
      kind: request.kind,
      period: request.period,
      asOf: request.asOf,
      dryRun: request.dryRun ?? false,
      schoolId: request.schoolId,
    },
  );
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
    if (file) {
      const path = resolve(file);
      if (!existsSync(path)) throw new UsageError(`--file not found: ${file}`);
      return path;
    }
    const params = kind === 'audit' ? { asOf } : { period: period ?? '' };
    return (await renderDocumentById(app, kind, params, { schoolId })).path;
  };
}
