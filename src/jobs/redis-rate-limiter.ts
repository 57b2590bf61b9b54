import type { Redis } from 'ioredis';
import { TokenPaused } from '../connectors/_shared/http-error.js';
import {
  limiterKey,
  type RateLimitOptions,
  type Release,
  type TokenLimiter,
  type TokenLimiters,
} from '../connectors/_shared/rate-limiter.js';
import { Slots } from '../connectors/_shared/slots.js';
import { systemTiming, type Timing } from '../connectors/_shared/timing.js';

/**
 * Service mode's per-token limiter, shared by every worker process through Redis: the platform
 * limits a token, not a process, so N workers must together keep one token's rate (with a
 * limiter per process, 2 workers at 4 requests/s made 8/s).
 *
 * One Redis hash per token and host (`<prefix>:limiter:<host>:<hash of the token identity>`)
 * holds the token's reservation schedule: `next`, the earliest start of the next request, and
 * `pause`, the end of a pause after the platform refused the token. A Lua script reserves a
 * start atomically on Redis's own clock (machines' clocks may differ): the start is the later of
 * `next` and `pause`, and `next` moves one interval past it; the caller sleeps until its start.
 * The same schedule as the in-process `RateLimiter`, so one process behaves as before.
 *
 * A pause longer than `maxInlineWaitMs` is not slept through: the request is refused here
 * (`TokenPaused`), its job goes back to the queue until the pause ends, and the worker's slot goes
 * to other schools' jobs. The cap on requests in flight stays per process (ezh's own politeness;
 * the platform limits the rate).
 *
 * Why a script of our own rather than a library: the reservation schedule is 10 lines of Lua
 * over a hash ioredis already gives us atomically (`defineCommand`), with the same semantics as
 * the in-process limiter and the pause the platform's `Retry-After` asks for; the rate-limiting
 * libraries we know answer "allowed / retry in N ms" and would make workers poll.
 */

const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
local pause = tonumber(redis.call('HGET', KEYS[1], 'pause') or '0')
if pause - now > tonumber(ARGV[3]) then return {1, math.ceil(pause - now)} end
local start = math.max(now - (burst - 1) * interval, nextAt, pause)
redis.call('HSET', KEYS[1], 'next', tostring(start + interval))
redis.call('PEXPIRE', KEYS[1], math.ceil(start - now) + tonumber(ARGV[4]))
return {0, math.ceil(start - now)}
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilAt = now + tonumber(ARGV[1])
local pause = tonumber(redis.call('HGET', KEYS[1], 'pause') or '0')
if untilAt > pause then
  redis.call('HSET', KEYS[1], 'pause', tostring(untilAt))
  pause = untilAt
end
local ttl = redis.call('PTTL', KEYS[1])
local need = math.ceil(pause - now) + tonumber(ARGV[2])
if ttl < need then redis.call('PEXPIRE', KEYS[1], need) end
return math.ceil(pause - now)
`;

interface LimiterCommands {
  ezhLimiterTake(
    key: string,
    interval: number,
    burst: number,
    maxWait: number,
    ttl: number,
  ): Promise<[number, number]>;
  ezhLimiterPause(key: string, ms: number, ttl: number): Promise<number>;
}

/** How long a token's hash outlives its last reservation or pause (then Redis drops it). */
const IDLE_TTL_MS = 60_000;

function commands(redis: Redis): LimiterCommands {
  const r = redis as Redis & Partial<LimiterCommands>;
  if (typeof r.ezhLimiterTake !== 'function') {
    redis.defineCommand('ezhLimiterTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('ezhLimiterPause', { numberOfKeys: 1, lua: PAUSE });
  }
  return r as Redis & LimiterCommands;
}

export class RedisRateLimiter implements TokenLimiter {
  private readonly slots: Slots;
  private readonly intervalMs: number;
  private readonly burst: number;

  constructor(
    private readonly redis: LimiterCommands,
    /** The Redis key (under the prefix). */
    private readonly redisKey: string,
    readonly key: string,
    options: RateLimitOptions,
    private readonly maxInlineWaitMs: number,
    private readonly timing: Timing = systemTiming,
  ) {
    if (!(options.requestsPerSecond > 0)) throw new Error('requestsPerSecond must be positive');
    this.slots = new Slots(options.concurrency);
    this.intervalMs = 1000 / options.requestsPerSecond;
    this.burst = Math.max(1, Math.floor(options.burst ?? 1));
  }

  async acquire(): Promise<Release> {
    await this.slots.take();
    try {
      // A start this process reached late (its event loop was busy past the reserved moment) is
      // given up for a new one: sent late, it would arrive together with the next processes'
      // punctual starts, and the platform counts arrivals. A few tries, then it goes.
      for (let tries = 0; ; tries++) {
        const [paused, wait] = await this.redis.ezhLimiterTake(
          this.redisKey,
          this.intervalMs,
          this.burst,
          this.maxInlineWaitMs,
          IDLE_TTL_MS,
        );
        if (paused === 1) throw new TokenPaused(wait, this.key);
        const due = this.timing.now() + Math.max(0, wait);
        if (wait > 0) await this.timing.sleep(wait);
        if (this.timing.now() - due <= this.intervalMs / 2 || tries >= 3) break;
      }
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

  async backOff(ms: number): Promise<void> {
    if (ms > 0) await this.redis.ezhLimiterPause(this.redisKey, Math.ceil(ms), IDLE_TTL_MS);
  }
}

/** One limiter object per token and host in this process, all sharing the token's Redis hash. */
export class RedisRateLimiters implements TokenLimiters {
  private readonly byKey = new Map<string, RedisRateLimiter>();
  private readonly redis: LimiterCommands;

  constructor(
    redis: Redis,
    private readonly options: {
      /** `redis.prefix`: the limiter's keys live beside the queues'. */
      prefix: string;
      /** A pause longer than this refuses the request (`TokenPaused`) instead of sleeping. */
      maxInlineWaitMs?: number;
      timing?: Timing;
    },
  ) {
    this.redis = commands(redis);
  }

  forToken(tokenIdentity: string, options: RateLimitOptions, host?: string): RedisRateLimiter {
    const key = limiterKey(tokenIdentity, host);
    let limiter = this.byKey.get(key);
    if (!limiter) {
      limiter = new RedisRateLimiter(
        this.redis,
        this.redisKeyOf(key),
        key,
        options,
        this.options.maxInlineWaitMs ?? 2000,
        this.options.timing,
      );
      this.byKey.set(key, limiter);
    }
    return limiter;
  }

  /** Pauses the token a refusal named (`PlatformError.limiterKey`), in every process. */
  async pause(key: string, ms: number): Promise<number> {
    return this.redis.ezhLimiterPause(this.redisKeyOf(key), Math.ceil(ms), IDLE_TTL_MS);
  }

  private redisKeyOf(key: string): string {
    return `${this.options.prefix}:limiter:${key}`;
  }
}
