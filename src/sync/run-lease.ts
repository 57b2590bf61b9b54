import {
  acquireLease,
  isLive,
  keepLeaseAlive,
  LeaseHeldError,
  readLeases,
  releaseLease,
  renewLease,
  type Lease,
} from '../mirror/leases.js';
import type { SqlDb, SqlExecutor } from '../mirror/sql.js';

/**
 * A school's sync lease: at most one run of a school is worked on at a time, by one process (or,
 * in service mode, by the workers running that run's jobs). See `src/mirror/leases.ts`.
 */

export const syncLeaseKey = (schoolId: string) => `sync:${schoolId}`;

const what = (schoolId: string) => `a sync of school ${schoolId}`;

/** Takes the school's lease for `runId`; `sameRunShares` for a job of a run (retry, worker). */
export function acquireSyncLease(
  db: SqlDb,
  schoolId: string,
  runId: string,
  sameRunShares: boolean,
): Promise<Lease> {
  return acquireLease(db, syncLeaseKey(schoolId), runId, { what: what(schoolId), sameRunShares });
}

export const renewSyncLease = (db: SqlExecutor, schoolId: string, runId: string) =>
  renewLease(db, syncLeaseKey(schoolId), runId);

export const releaseSyncLease = (db: SqlExecutor, schoolId: string, runId: string) =>
  releaseLease(db, syncLeaseKey(schoolId), runId);

export const keepSyncLeaseAlive = (db: SqlExecutor, schoolId: string, runId: string) =>
  keepLeaseAlive(db, syncLeaseKey(schoolId), runId);

export { LeaseHeldError };

/** Runs with a live owner now: run id → its lease. */
export async function liveSyncRuns(db: SqlExecutor): Promise<Map<string, Lease>> {
  const now = Date.now();
  const leases = await readLeases(db, 'sync:');
  return new Map(leases.filter((l) => isLive(l, now)).map((l) => [l.runId, l]));
}

/**
 * A run's status as an operator should read it: a `running` run whose owner is gone (killed,
 * crashed, its machine down) is `interrupted`; the next sync of the school resumes it.
 */
export function displayedStatus(status: string, runId: string, live: Map<string, Lease>): string {
  return status === 'running' && !live.has(runId) ? 'interrupted' : status;
}
