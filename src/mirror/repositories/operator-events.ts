import type { SqlExecutor } from '../sql.js';
import { parseRows } from './rows.js';

/**
 * Events an operator must see (`operator_events`): mass deletions refused, schema drift, failed
 * syncs and archives. Every statement on the table, rows parsed at the edge.
 */

export const EVENT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

export interface NewOperatorEvent {
  at: number;
  kind: string;
  severity: EventSeverity;
  schoolId: string | null;
  message: string;
  /** Text as stored (JSON), or null. */
  details: string | null;
}

export interface OperatorEvent extends NewOperatorEvent {
  id: number;
  acknowledgedAt: number | null;
}

const TABLE = 'operator_events';

export async function insert(db: SqlExecutor, event: NewOperatorEvent): Promise<void> {
  await db.run(
    'INSERT INTO operator_events (at, kind, severity, school_id, message, details, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, NULL)',
    [event.at, event.kind, event.severity, event.schoolId, event.message, event.details],
  );
}

/** Whether the school already has an event of this kind with exactly these details. */
export async function exists(
  db: SqlExecutor,
  event: { kind: string; schoolId: string; details: string },
): Promise<boolean> {
  const rows = await db.query(
    'SELECT 1 AS x FROM operator_events WHERE kind = ? AND school_id = ? AND details = ? LIMIT 1',
    [event.kind, event.schoolId, event.details],
  );
  return rows.length > 0;
}

/** Events not yet acknowledged, newest first, of one school and kind when given. */
export async function listOpen(
  db: SqlExecutor,
  options: { limit?: number; schoolId?: string; kind?: string; oldestFirst?: boolean } = {},
): Promise<OperatorEvent[]> {
  const where = ['acknowledged_at IS NULL'];
  const params: unknown[] = [];
  if (options.schoolId !== undefined) {
    where.push('school_id = ?');
    params.push(options.schoolId);
  }
  if (options.kind !== undefined) {
    where.push('kind = ?');
    params.push(options.kind);
  }
  const order = options.oldestFirst ? 'id' : 'at DESC';
  const limit = options.limit === undefined ? '' : ' LIMIT ?';
  if (options.limit !== undefined) params.push(options.limit);
  const rows = await db.query(
    `SELECT * FROM operator_events WHERE ${where.join(' AND ')} ORDER BY ${order}${limit}`,
    params,
  );
  return parseRows(TABLE, rows, (r) => ({
    id: r.int('id'),
    at: r.int('at'),
    kind: r.text('kind'),
    severity: r.oneOf('severity', EVENT_SEVERITIES),
    schoolId: r.textOrNull('school_id'),
    message: r.text('message'),
    details: r.textOrNull('details'),
    acknowledgedAt: r.intOrNull('acknowledged_at'),
  }));
}

export interface OpenEventCount {
  kind: string;
  severity: string;
  open: number;
}

/** Open events counted per kind and severity (the metrics). */
export async function openCounts(db: SqlExecutor): Promise<OpenEventCount[]> {
  const rows = await db.query(
    `SELECT kind, severity, count(*) AS n FROM operator_events
     WHERE acknowledged_at IS NULL GROUP BY kind, severity`,
  );
  return parseRows(TABLE, rows, (r) => ({
    kind: r.text('kind'),
    severity: r.text('severity'),
    open: r.int('n'),
  }));
}
