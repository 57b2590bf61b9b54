/**
 * The platform's limit per token, as the sandbox enforces it: every authenticated request is
 * logged (arrival time, and whether it was refused), a token over its rate is refused with 429
 * and `Retry-After`, and a test may refuse one token outright for a while ("this school's token
 * hit its limit"). The log is what tests and benches measure the rate a token really got from.
 */
export interface TokenLimitOptions {
  /** Requests per second a token may make; over it the reply is 429. */
  requestsPerSecond: number;
  /** Requests a quiet token may make back to back (a token bucket's size); default the rate, at least 1. */
  burst?: number;
  /** The `Retry-After` of a refusal, in seconds (default 1). */
  retryAfterS?: number;
}

export interface TokenRequest {
  /** Epoch ms (the real clock) of the request's arrival. */
  at: number;
  refused: boolean;
}

export class TokenLimits {
  private readonly log = new Map<string, TokenRequest[]>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refusedUntil = new Map<string, { until: number; retryAfterS: number }>();

  /** Requests refused so far, every token. */
  refused = 0;

  constructor(private readonly options: TokenLimitOptions | undefined) {}

  /** Records a request of `token`; returns the `Retry-After` seconds when it is refused, else null. */
  admit(token: string, now = Date.now()): number | null {
    const retryAfter = this.refusal(token, now);
    const entries = this.log.get(token) ?? [];
    entries.push({ at: now, refused: retryAfter !== null });
    if (retryAfter !== null) this.refused++;
    this.log.set(token, entries);
    return retryAfter;
  }

  /** Refuses every request of `token` for the next `ms`, asking for `retryAfterS`. */
  refuse(token: string, ms: number, retryAfterS = Math.ceil(ms / 1000)): void {
    this.refusedUntil.set(token, { until: Date.now() + ms, retryAfterS });
  }

  requests(token: string): TokenRequest[] {
    return [...(this.log.get(token) ?? [])];
  }

  private refusal(token: string, now: number): number | null {
    const forced = this.refusedUntil.get(token);
    if (forced && now < forced.until) return forced.retryAfterS;
    const o = this.options;
    if (!o) return null;
    const size = Math.max(1, o.burst ?? o.requestsPerSecond);
    const bucket = this.buckets.get(token) ?? { tokens: size, at: now };
    bucket.tokens = Math.min(
      size,
      bucket.tokens + ((now - bucket.at) / 1000) * o.requestsPerSecond,
    );
    bucket.at = now;
    this.buckets.set(token, bucket);
    if (bucket.tokens < 1) return o.retryAfterS ?? 1;
    bucket.tokens -= 1;
    return null;
  }
}

/**
 * The most requests `times` (epoch ms, any order) hold in any window of `windowMs`, divided by
 * the window in seconds: the peak rate a token got.
 */
export function peakRate(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most / (windowMs / 1000);
}
