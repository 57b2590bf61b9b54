import { UsageError } from '../platform/errors.js';

/**
 * How a job's failure is logged. Bad usage (an unknown class, a payload its schema refuses, a
 * school whose zone is unknown) is the operator's to fix, not a defect: its message and problems,
 * as `ezh` prints them, without a stack trace. Anything else: the error, stack included.
 */
export function jobErrorLog(err: unknown): Record<string, unknown> {
  // A queue's permanent failure wraps the job's error (`cause`).
  const usage = usageErrorOf(err);
  if (usage) {
    return usage.problems.length > 0
      ? { error: usage.message, problems: usage.problems }
      : { error: usage.message };
  }
  return { err };
}

/** A failed job's reason, one line: the message, and a usage error's problems. */
export function failureReason(err: unknown): string {
  if (err instanceof UsageError && err.problems.length > 0) {
    return `${err.message}: ${err.problems.join('; ')}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function usageErrorOf(err: unknown): UsageError | null {
  if (err instanceof UsageError) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof UsageError ? cause : null;
}
