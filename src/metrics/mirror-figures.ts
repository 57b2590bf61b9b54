import {
  StatusService,
  type LastCheckRun,
  type OpenEvents,
  type OpenFindings,
  type StreamTotals,
  type SyncRunCount,
} from '../app/status-service.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * The figures Prometheus scrapes, read at scrape time through the status service (the same rows
 * `ezh status` prints), never from counters kept in one process: any worker of any machine
 * reports the same numbers, and they survive restarts.
 */

export type { LastCheckRun, OpenEvents, OpenFindings, StreamTotals, SyncRunCount };

export const RECORD_KINDS = [
  'inserted',
  'changed',
  'unchanged',
  'deleted',
  'quarantined',
  'errors',
] as const;

export const syncRunCounts = (db: SqlExecutor): Promise<SyncRunCount[]> =>
  new StatusService(db).syncRunCounts();

/** Per school and stream, summed over every recorded run. */
export const streamTotals = (db: SqlExecutor): Promise<StreamTotals[]> =>
  new StatusService(db).streamTotals();

/** Epoch ms of each school's last successful sync (a `held` run read everything too). */
export const lastSuccessfulSync = (db: SqlExecutor): Promise<Map<string, number>> =>
  new StatusService(db).lastSuccessfulSync();

export const openFindings = (db: SqlExecutor): Promise<OpenFindings[]> =>
  new StatusService(db).openFindings();

/** Each school's latest current check run (not a what-if one), as `ezh status` shows the latest one. */
export const lastCheckRuns = (db: SqlExecutor): Promise<LastCheckRun[]> =>
  new StatusService(db).lastCheckRuns();

/** Operator events not yet acknowledged (mass deletions refused, schema drift, failures). */
export const openOperatorEvents = (db: SqlExecutor): Promise<OpenEvents[]> =>
  new StatusService(db).openOperatorEvents();
