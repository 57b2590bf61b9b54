import { createHash } from 'node:crypto';
import { systemTiming, type Timing } from './timing.js';

/**
 * The platform limits requests per token, so every connector that uses a token in this process
 * must go through the same limiter: a pacing bucket (at most `requestsPerSecond` starts per
 * second, with a small burst) and a cap on requests in flight.
 */
export interface RateLimitOptions {
  requestsPerSecond: number;
  concurrency: number;
  /** Requests that may start back to back after a quiet spell; 1 spaces every request evenly. */
  burst?: number;
}

export type Release = () => void;

export class RateLimiter {
  private readonly intervalMs: number;
  private readonly burst: number;
  /** The earliest moment the next request may start (a reservation schedule, fair in arrival order). */
  private nextStartAt = Number.NEGATIVE_INFINITY;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly options: RateLimitOptions,
    private readonly timing: Timing = systemTiming,
  ) {
    if (!(options.requestsPerSecond > 0)) throw new Error('requestsPerSecond must be positive');
    if (!(options.concurrency >= 1)) throw new Error('concurrency must be at least 1');
    this.intervalMs = 1000 / options.requestsPerSecond;
    this.burst = Math.max(1, Math.floor(options.burst ?? 1));
  }

  /** Waits for a free slot and for the pace; the caller must call the returned release when done. */
  async acquire(): Promise<Release> {
    await this.takeSlot();
    try {
      const now = this.timing.now();
      const earliest = now - (this.burst - 1) * this.intervalMs;
      const startAt = Math.max(earliest, this.nextStartAt);
      this.nextStartAt = startAt + this.intervalMs;
      const wait = startAt - now;
      if (wait > 0) await this.timing.sleep(wait);
    } catch (err) {
      this.releaseSlot();
      throw err;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseSlot();
    };
  }

  /** Runs `work` inside the limiter. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private takeSlot(): Promise<void> {
    if (this.inFlight < this.options.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    // The slot is handed over directly by releaseSlot, so inFlight stays counted.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

/** A short, one-way key for a token: the map of limiters must not hold tokens in clear. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/** Limiters by token: one per token per process (tests make their own registry). */
export class RateLimiterRegistry {
  private readonly byKey = new Map<string, RateLimiter>();

  constructor(private readonly timing: Timing = systemTiming) {}

  /** The limiter of `tokenIdentity`; the first caller's options win, later callers share them. */
  forToken(tokenIdentity: string, options: RateLimitOptions): RateLimiter {
    const key = tokenKey(tokenIdentity);
    let limiter = this.byKey.get(key);
    if (!limiter) {
      limiter = new RateLimiter(options, this.timing);
      this.byKey.set(key, limiter);
    }
    return limiter;
  }

  get size(): number {
    return this.byKey.size;
  }
}

/** The process-wide registry every connector uses unless a test injects its own. */
export const sharedRateLimiters = new RateLimiterRegistry();
