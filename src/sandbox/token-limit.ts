/**
 * A per-token request limit, as the platform states it (reference §3: `apiRequestLimit`, "request
 * limit exceeded for this token"; no numbers are published, so the rate is an option). A sliding
 * window of one second per token: a request beyond `requestsPerSecond` in the last second is
 * refused with HTTP 429 and the platform's error body; refused requests do not count. Used by the
 * capacity bench so that the limit a deployment lives with is enforced by the platform itself.
 */
export interface TokenLimitOptions {
  requestsPerSecond: number;
}

export class TokenLimit {
  private readonly recent = new Map<string, number[]>();
  /** Requests refused so far, all tokens. */
  refused = 0;

  constructor(
    private readonly options: TokenLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether the token may make a request now (and counts it if so). */
  admit(token: string): boolean {
    const t = this.now();
    const list = (this.recent.get(token) ?? []).filter((at) => t - at < 1000);
    if (list.length >= this.options.requestsPerSecond) {
      this.recent.set(token, list);
      this.refused++;
      return false;
    }
    list.push(t);
    this.recent.set(token, list);
    return true;
  }
}
