/**
 * What a caller asks of a sync. The mode is stored on the run; the rest lets an interrupted run
 * be recognised and resumed with the same plan.
 */
/**
 * `confirm`: a full read with the mass-deletion guard lifted, after an operator checked the
 * deletions it held back (`ezh sync --confirm-deletions`).
 */
export type { SyncMode } from '../mirror/repositories/sync-runs.js';
import type { SyncMode } from '../mirror/repositories/sync-runs.js';

export interface SyncRequest {
  mode: SyncMode;
  /** Backfill range, inclusive local dates. */
  from?: string;
  to?: string;
  /** Limit the run to one class (by name, as the platform writes it, e.g. `5А`). */
  className?: string;
}

export interface SyncOptions {
  schoolId?: string;
  full?: boolean;
  from?: string;
  to?: string;
  className?: string;
  /** `reconcile` re-reads older windows sooner (the nightly job); default `incremental`. */
  reconcile?: boolean;
  /** The current week only, as the daytime schedule does (mode `hourly`). */
  currentWeek?: boolean;
  /** Read every window and apply the deletions the guard held back (mode `confirm`). */
  confirmDeletions?: boolean;
  /** While another process syncs the school, wait for it instead of refusing. */
  wait?: boolean;
}

export function requestFromOptions(options: SyncOptions): SyncRequest {
  if (options.confirmDeletions) return { mode: 'confirm', className: options.className };
  if (options.full) return { mode: 'full', className: options.className };
  if (options.from || options.to) {
    return { mode: 'backfill', from: options.from, to: options.to, className: options.className };
  }
  if (options.currentWeek) return { mode: 'hourly', className: options.className };
  return { mode: options.reconcile ? 'reconcile' : 'incremental', className: options.className };
}

/** Stable text of a request, for comparing a new request with an interrupted run's. */
export function requestKey(request: SyncRequest): string {
  return JSON.stringify([
    request.mode,
    request.from ?? null,
    request.to ?? null,
    request.className ?? null,
  ]);
}
