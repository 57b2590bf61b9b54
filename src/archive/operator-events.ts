import * as operatorEvents from '../mirror/repositories/operator-events.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * Archive problems the ICT engineer must see: written to `operator_events`, which `ezh status`
 * and the alerts digest read. Callers recording a failure drop this insert's own error, so the
 * original failure is the one reported.
 */
export async function recordArchiveEvent(
  db: SqlExecutor,
  event: {
    kind: 'archive_failed' | 'archive_documents_missing';
    severity: 'warning' | 'critical';
    schoolId: string | null;
    message: string;
    details?: unknown;
    at: number;
  },
): Promise<void> {
  await operatorEvents.insert(db, {
    ...event,
    details: event.details === undefined ? null : JSON.stringify(event.details),
  });
}
