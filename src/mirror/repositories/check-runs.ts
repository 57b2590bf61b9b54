import type { SqlExecutor } from '../sql.js';
import { bumpDataVersion, bumpDataVersionOfRun } from './data-version.js';
import { parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * Check runs (`check_runs`): every statement on the table, rows parsed at the edge. What a run
 * kind means is described in src/checks/run-kind.ts; only `current` runs are the school's history.
 */

export const CHECK_RUN_KINDS = ['current', 'what-if'] as const;
export type RunKind = (typeof CHECK_RUN_KINDS)[number];

export const CHECK_RUN_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type CheckRunStatus = (typeof CHECK_RUN_STATUSES)[number];

/**
 * SQL condition for a current run (`alias.kind`, or `kind`). A row without a kind (written before
 * migration 0012 filled it, or by a tool that does not know the column) was treated as current.
 */
export function currentRunSql(alias?: string): string {
  return `coalesce(${alias ? `${alias}.` : ''}kind, 'current') = 'current'`;
}

export interface CheckRunSummary {
  id: string;
  schoolId: string;
  asOf: number;
  startedAt: number;
  finishedAt: number | null;
  status: CheckRunStatus;
  findingCount: number;
  newCount: number;
  resolvedCount: number;
  entryTimePrecision: string | null;
}

const TABLE = 'check_runs';
const SUMMARY_COLUMNS =
  'id, school_id, as_of, started_at, finished_at, status, finding_count, new_count, resolved_count, entry_time_precision';

const summary = (r: RowReader): CheckRunSummary => ({
  id: r.text('id'),
  schoolId: r.text('school_id'),
  asOf: r.int('as_of'),
  startedAt: r.int('started_at'),
  finishedAt: r.intOrNull('finished_at'),
  status: r.oneOf('status', CHECK_RUN_STATUSES),
  findingCount: r.int('finding_count'),
  newCount: r.int('new_count'),
  resolvedCount: r.int('resolved_count'),
  entryTimePrecision: r.textOrNull('entry_time_precision'),
});

export async function insertRun(
  db: SqlExecutor,
  run: {
    id: string;
    schoolId: string;
    asOf: number;
    startedAt: number;
    /** JSON: rule ids with their parameters. */
    rules: string;
    entryTimePrecision: string;
    kind: RunKind;
  },
): Promise<void> {
  await db.run(
    `INSERT INTO check_runs (id, school_id, as_of, started_at, finished_at, status, rules, finding_count, new_count, resolved_count, entry_time_precision, kind)
     VALUES (?, ?, ?, ?, NULL, 'running', ?, 0, 0, 0, ?, ?)`,
    [run.id, run.schoolId, run.asOf, run.startedAt, run.rules, run.entryTimePrecision, run.kind],
  );
  await bumpDataVersion(db, run.schoolId);
}

/** Closes a run as succeeded with its counts (a what-if run has only a finding count). */
export async function markSucceeded(
  db: SqlExecutor,
  runId: string,
  finishedAt: number,
  counts: { findingCount: number; newCount?: number; resolvedCount?: number },
): Promise<void> {
  if (counts.newCount === undefined && counts.resolvedCount === undefined) {
    await db.run(
      `UPDATE check_runs SET status = 'succeeded', finished_at = ?, finding_count = ? WHERE id = ?`,
      [finishedAt, counts.findingCount, runId],
    );
  } else {
    await db.run(
      `UPDATE check_runs SET status = 'succeeded', finished_at = ?, finding_count = ?, new_count = ?, resolved_count = ? WHERE id = ?`,
      [finishedAt, counts.findingCount, counts.newCount ?? 0, counts.resolvedCount ?? 0, runId],
    );
  }
  await bumpDataVersionOfRun(db, 'check_runs', runId);
}

export async function markFailed(
  db: SqlExecutor,
  runId: string,
  finishedAt: number,
): Promise<void> {
  await db.run(`UPDATE check_runs SET status = 'failed', finished_at = ? WHERE id = ?`, [
    finishedAt,
    runId,
  ]);
  await bumpDataVersionOfRun(db, 'check_runs', runId);
}

/** Finished current runs of a school, newest first (what-if runs are no part of its history). */
export async function finishedCurrentRuns(
  db: SqlExecutor,
  schoolId: string,
  limit: number,
): Promise<CheckRunSummary[]> {
  const rows = await db.query(
    `SELECT ${SUMMARY_COLUMNS}
     FROM check_runs WHERE school_id = ? AND status = 'succeeded' AND ${currentRunSql()} ORDER BY as_of DESC, started_at DESC LIMIT ?`,
    [schoolId, limit],
  );
  return parseRows(TABLE, rows, summary);
}

/** The latest current run of any school, whatever its status (`ezh status`). */
export async function latestCurrentRun(db: SqlExecutor): Promise<CheckRunSummary | null> {
  const rows = await db.query(
    `SELECT ${SUMMARY_COLUMNS} FROM check_runs WHERE ${currentRunSql()} ORDER BY started_at DESC LIMIT 1`,
  );
  return parseFirst(TABLE, rows, summary);
}

/** Each school's latest current run, whatever its status (the metrics). */
export async function latestCurrentRunPerSchool(db: SqlExecutor): Promise<CheckRunSummary[]> {
  const rows = await db.query(
    `SELECT ${SUMMARY_COLUMNS.split(', ')
      .map((c) => `c.${c}`)
      .join(', ')} FROM check_runs c
     WHERE ${currentRunSql('c')} AND c.started_at = (SELECT max(c2.started_at) FROM check_runs c2
       WHERE c2.school_id = c.school_id AND ${currentRunSql('c2')})`,
  );
  return parseRows(TABLE, rows, summary);
}

/** The as-of of the school's latest succeeded current run at or before `asOf` (null: none). */
export async function latestSucceededAsOf(
  db: SqlExecutor,
  schoolId: string,
  asOf: number,
): Promise<number | null> {
  const rows = await db.query(
    `SELECT as_of FROM check_runs WHERE school_id = ? AND as_of <= ? AND status = 'succeeded'
       AND ${currentRunSql()} ORDER BY as_of DESC LIMIT 1`,
    [schoolId, asOf],
  );
  return parseFirst(TABLE, rows, (r) => r.int('as_of'));
}
