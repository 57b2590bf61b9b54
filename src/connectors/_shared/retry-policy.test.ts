import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = {
  maxRetries: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

describe('retry policy', () => {
  it('grows the jitter cap exponentially up to the maximum', () => {
    const top = () => 0.999999;
    expect(backoffDelayMs(0, policy, top)).toBe(499);
    expect(backoffDelayMs(3, policy, top)).toBe(3999);
    expect(backoffDelayMs(20, policy, top)).toBe(29_999);
    // Full jitter: any wait from zero up.
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-09-07T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 07 Sep 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('not a date', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('prefers the platform-requested wait, bounded', () => {
    expect(retryDelayMs(0, 12_000, policy, () => 0.5)).toBe(12_000);
    expect(retryDelayMs(0, 3_600_000, policy, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(1, null, policy, () => 0.5)).toBe(500);
  });
});
