export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before attempt `n + 1` (n ≥ 1): base·2^(n−1), capped, plus up to 25 % jitter so that
 * several workers retrying one relay do not knock in step. Never below the exponential step. */
export function backoffDelay(
  policy: RetryPolicy,
  failedAttempts: number,
  random = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.round(step * (1 + 0.25 * random()));
}

/**
 * Runs `fn` until it succeeds, fails with an error `isTransient` rejects, or the attempts run out
 * (the last error is thrown). `onRetry` sees each transient failure before the wait.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  isTransient: (err: unknown) => boolean,
  options: {
    sleep?: Sleep;
    onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      const delay = backoffDelay(policy, attempt);
      options.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}
