import type { SqlExecutor } from '../sql.js';
import { parseRows } from './rows.js';

/**
 * Reads of `quarantine` (records the sync could not store, written by src/sync/operator-log.ts)
 * for the operator's views. The payload is left out: it is the platform's record, possibly with
 * personal data; the reason and the record's reference are enough to find it.
 */
export interface QuarantinedRecord {
  id: number;
  schoolId: string;
  stream: string;
  recordRef: string | null;
  reason: string;
  observedAt: number;
  syncRunId: string | null;
}

export async function listQuarantined(
  db: SqlExecutor,
  limit: number,
): Promise<QuarantinedRecord[]> {
  return parseRows(
    'quarantine',
    await db.query(
      `SELECT id, school_id, stream, record_ref, reason, observed_at, sync_run_id FROM quarantine
        ORDER BY observed_at DESC, id DESC LIMIT ?`,
      [limit],
    ),
    (r) => ({
      id: r.int('id'),
      schoolId: r.text('school_id'),
      stream: r.text('stream'),
      recordRef: r.textOrNull('record_ref'),
      reason: r.text('reason'),
      observedAt: r.int('observed_at'),
      syncRunId: r.textOrNull('sync_run_id'),
    }),
  );
}
