/**
 * Exponential backoff with full jitter (a uniformly random wait between 0 and the exponential
 * cap), so that many workers hitting the same limit spread out instead of retrying in lockstep.
 * A wait the platform asks for with `Retry-After` takes precedence over the computed one.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** Cap of the first retry's wait; doubles with each retry. */
  baseDelayMs: number;
  /** Upper bound of any computed wait. */
  maxDelayMs: number;
  /** Upper bound of a `Retry-After` wait, so that a broken header cannot stall a sync for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxRetries'> = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** The wait before retry number `retry` (0-based), with full jitter; `random` returns [0, 1). */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * cap);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `nowMs`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** The wait before a retry: the platform's `Retry-After` when given (bounded), else jittered backoff. */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | null,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelayMs(retry, policy, random);
}
