import { PlatformError, TokenPaused } from '../connectors/_shared/http-error.js';
import { UsageError } from '../platform/errors.js';
import { SyncInterrupted } from '../sync/engine.js';
import { JobUnavailableError } from './registry.js';
import { LeaseHeldError } from '../mirror/leases.js';

/**
 * How a failed job is handled, on a queue or in-process:
 * - `rateLimit`: the platform said "too many requests" (or the token is still paused since it did,
 *   `paused`): pause that token only (`limiterKey`), put the job back until the pause ends, do not
 *   spend an attempt;
 * - `permanent`: no retry can help (token, permissions, bad request, bad usage, another live run
 *   of the school): fail at once;
 * - `interrupted`: the host is shutting down between scopes: put the job back, no attempt spent;
 * - `retry`: anything else, with exponential backoff.
 */
export type JobErrorKind =
  | { kind: 'rateLimit'; waitMs: number | null; limiterKey: string | null; paused: boolean }
  | { kind: 'permanent' }
  | { kind: 'interrupted' }
  | { kind: 'retry'; waitMs: number | null };

export function classifyJobError(err: unknown): JobErrorKind {
  if (err instanceof SyncInterrupted) return { kind: 'interrupted' };
  // Another live run holds the school: a retry would only queue behind it; the schedule's next
  // run (or the operator) starts again once it has ended. Bad usage or configuration (an unknown
  // class, a school whose zone is unknown) is exit 2 on the command line: no retry fixes it either.
  if (
    err instanceof UsageError ||
    err instanceof JobUnavailableError ||
    err instanceof LeaseHeldError
  ) {
    return { kind: 'permanent' };
  }
  // The connector has put its platform's error names into neutral words (`PlatformErrorReason`).
  if (err instanceof PlatformError) {
    switch (err.reason) {
      case 'unauthorized':
      case 'invalidRequest':
        return { kind: 'permanent' };
      case 'rateLimited':
        return {
          kind: 'rateLimit',
          waitMs: err.retryAfterMs,
          limiterKey: err.limiterKey,
          paused: err instanceof TokenPaused,
        };
      case 'unavailable':
        return { kind: 'retry', waitMs: null };
    }
  }
  return { kind: 'retry', waitMs: null };
}
