import { currentRunSql } from '../checks/run-kind.js';
import type { StreamStats } from '../sync/run-store.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * The figures Prometheus scrapes, read from the mirror's own bookkeeping tables at scrape time
 * (the same rows `ezh status` prints), never from counters kept in one process: any worker of any
 * machine reports the same numbers, and they survive restarts.
 */

export interface SyncRunCount {
  school: string;
  status: string;
  runs: number;
}

/** A sync stream's figures summed over runs (the per-run shape, less its duration). */
export type StreamTotals = Omit<StreamStats, 'durationMs'> & { school: string; stream: string };

export const RECORD_KINDS = [
  'inserted',
  'changed',
  'unchanged',
  'deleted',
  'quarantined',
  'errors',
] as const;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export async function syncRunCounts(db: SqlExecutor): Promise<SyncRunCount[]> {
  const rows = await db.query<Record<string, unknown>>(
    'SELECT school_id, status, count(*) AS n FROM sync_runs GROUP BY school_id, status',
  );
  return rows.map((r) => ({
    school: String(r.school_id),
    status: String(r.status),
    runs: num(r.n),
  }));
}

/** Per school and stream, summed over every recorded run. */
export async function streamTotals(db: SqlExecutor): Promise<StreamTotals[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT r.school_id, s.stream, sum(s.requests) AS requests, sum(s.retries) AS retries,
       sum(s.inserted) AS inserted, sum(s.changed) AS changed, sum(s.unchanged) AS unchanged,
       sum(s.deleted) AS deleted, sum(s.quarantined) AS quarantined, sum(s.errors) AS errors
     FROM sync_run_streams s JOIN sync_runs r ON r.id = s.run_id
     GROUP BY r.school_id, s.stream`,
  );
  return rows.map((r) => ({
    school: String(r.school_id),
    stream: String(r.stream),
    requests: num(r.requests),
    retries: num(r.retries),
    inserted: num(r.inserted),
    changed: num(r.changed),
    unchanged: num(r.unchanged),
    deleted: num(r.deleted),
    quarantined: num(r.quarantined),
    errors: num(r.errors),
  }));
}

/** Epoch ms of each school's last successful sync (a `held` run read everything too). */
export async function lastSuccessfulSync(db: SqlExecutor): Promise<Map<string, number>> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT school_id, max(finished_at) AS at FROM sync_runs
     WHERE status IN ('succeeded', 'held') AND finished_at IS NOT NULL GROUP BY school_id`,
  );
  return new Map(rows.map((r) => [String(r.school_id), num(r.at)]));
}

export interface OpenFindings {
  school: string;
  rule: string;
  severity: string;
  open: number;
}

export async function openFindings(db: SqlExecutor): Promise<OpenFindings[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT school_id, rule, severity, count(*) AS n FROM findings
     WHERE resolved_at IS NULL GROUP BY school_id, rule, severity`,
  );
  return rows.map((r) => ({
    school: String(r.school_id),
    rule: String(r.rule),
    severity: String(r.severity),
    open: num(r.n),
  }));
}

export interface LastCheckRun {
  school: string;
  /** Epoch ms the run finished (or started, while it runs). */
  at: number;
  status: string;
  findings: number;
}

/** Each school's latest current check run (not a what-if one), as `ezh status` shows the latest one. */
export async function lastCheckRuns(db: SqlExecutor): Promise<LastCheckRun[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT c.school_id, c.started_at, c.finished_at, c.status, c.finding_count FROM check_runs c
     WHERE ${currentRunSql('c')} AND c.started_at = (SELECT max(c2.started_at) FROM check_runs c2
       WHERE c2.school_id = c.school_id AND ${currentRunSql('c2')})`,
  );
  return rows.map((r) => ({
    school: String(r.school_id),
    at: num(r.finished_at ?? r.started_at),
    status: String(r.status),
    findings: num(r.finding_count),
  }));
}

export interface OpenEvents {
  kind: string;
  severity: string;
  open: number;
}

/** Operator events not yet acknowledged (mass deletions refused, schema drift, failures). */
export async function openOperatorEvents(db: SqlExecutor): Promise<OpenEvents[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT kind, severity, count(*) AS n FROM operator_events
     WHERE acknowledged_at IS NULL GROUP BY kind, severity`,
  );
  return rows.map((r) => ({ kind: String(r.kind), severity: String(r.severity), open: num(r.n) }));
}
