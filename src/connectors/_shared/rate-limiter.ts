import { createHash } from 'node:crypto';
import { Slots } from './slots.js';
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

/**
 * What a client needs of its token's limiter: a slot before each attempt, and a way to make every
 * user of the token wait after the platform refused one ("too many requests"). One process holds
 * the in-process `RateLimiter`; service mode's workers share one through Redis
 * (src/jobs/redis-rate-limiter.ts), so N processes together keep the token's rate.
 */
export interface TokenLimiter {
  /** Names the token's limiter without the token (a hash): errors carry it to the worker. */
  readonly key: string;
  /** Waits for a free slot and for the pace; the caller must call the returned release when done. */
  acquire(): Promise<Release>;
  /** No request with this token starts within the next `ms` (everyone using it waits). */
  backOff(ms: number): Promise<void>;
}

/** Limiters by token (and host): what a connector asks for its token's limiter. */
export interface TokenLimiters {
  forToken(tokenIdentity: string, options: RateLimitOptions, host?: string): TokenLimiter;
}

export class RateLimiter implements TokenLimiter {
  private readonly intervalMs: number;
  private readonly burst: number;
  /** The earliest moment the next request may start (a reservation schedule, fair in arrival order). */
  private nextStartAt = Number.NEGATIVE_INFINITY;
  private readonly slots: Slots;

  constructor(
    readonly options: RateLimitOptions,
    private readonly timing: Timing = systemTiming,
    readonly key = 'local',
  ) {
    if (!(options.requestsPerSecond > 0)) throw new Error('requestsPerSecond must be positive');
    this.slots = new Slots(options.concurrency);
    this.intervalMs = 1000 / options.requestsPerSecond;
    this.burst = Math.max(1, Math.floor(options.burst ?? 1));
  }

  /** Waits for a free slot and for the pace; the caller must call the returned release when done. */
  async acquire(): Promise<Release> {
    await this.slots.take();
    try {
      const now = this.timing.now();
      const earliest = now - (this.burst - 1) * this.intervalMs;
      const startAt = Math.max(earliest, this.nextStartAt);
      this.nextStartAt = startAt + this.intervalMs;
      const wait = startAt - now;
      if (wait > 0) await this.timing.sleep(wait);
    } catch (err) {
      this.slots.release();
      throw err;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.slots.release();
    };
  }

  /** Moves the schedule past `ms` from now: every request that asks for a slot later starts after it. */
  backOff(ms: number): Promise<void> {
    if (ms > 0) this.nextStartAt = Math.max(this.nextStartAt, this.timing.now() + ms);
    return Promise.resolve();
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
}

/** A short, one-way key for a token: the map of limiters must not hold tokens in clear. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * The key of one token's limit on one platform host: `host:hash`. A token is limited by the host
 * that issued it, so the same identity on two hosts has two limits; the token itself never
 * appears (a hash of its identity).
 */
export function limiterKey(tokenIdentity: string, host = ''): string {
  return `${host.toLowerCase()}:${tokenKey(tokenIdentity)}`;
}

/** Limiters by token: one per token per process (tests make their own registry). */
export class RateLimiterRegistry implements TokenLimiters {
  private readonly byKey = new Map<string, RateLimiter>();

  constructor(private readonly timing: Timing = systemTiming) {}

  /** The limiter of `tokenIdentity`; the first caller's options win, later callers share them. */
  forToken(tokenIdentity: string, options: RateLimitOptions, host?: string): RateLimiter {
    const key = limiterKey(tokenIdentity, host);
    let limiter = this.byKey.get(key);
    if (!limiter) {
      limiter = new RateLimiter(options, this.timing, key);
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
