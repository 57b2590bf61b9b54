import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenPaused } from '../connectors/_shared/http-error.js';
import { deletePrefixKeys, testPrefix, TEST_REDIS_URL } from '../../test/helpers/redis.js';
import { RedisRateLimiters } from './redis-rate-limiter.js';

/** Two registries on two connections stand for two worker processes sharing one Redis. */
describe('per-token limiter shared through Redis', () => {
  const prefix = testPrefix();
  const connections: Redis[] = [];
  const processes: RedisRateLimiters[] = [];

  beforeAll(() => {
    for (let i = 0; i < 2; i++) {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      connections.push(redis);
      processes.push(new RedisRateLimiters(redis, { prefix, maxInlineWaitMs: 1000 }));
    }
  });

  afterAll(async () => {
    await deletePrefixKeys(prefix);
    for (const c of connections) c.disconnect();
  });

  const options = { requestsPerSecond: 10, concurrency: 4 };

  it('keeps one rate for a token across processes, and its own for another token', async () => {
    const [p1, p2] = processes as [RedisRateLimiters, RedisRateLimiters];
    const starts: number[] = [];
    const other: number[] = [];
    const take = async (r: RedisRateLimiters, token: string, into: number[]) => {
      const release = await r.forToken(token, options, 'api.example').acquire();
      into.push(Date.now());
      release();
    };
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: 6 }, () => take(p1, 'token-shared', starts)),
      ...Array.from({ length: 6 }, () => take(p2, 'token-shared', starts)),
      ...Array.from({ length: 3 }, () => take(p2, 'token-other', other)),
    ]);
    // 12 starts at 10/s: the last no earlier than 1.1 s after the first (each process alone
    // would have let its 6 go within 0.5 s).
    expect(Math.max(...starts) - t0).toBeGreaterThanOrEqual(1050);
    // The other token was not held up by the first one's queue.
    expect(Math.max(...other) - t0).toBeLessThan(600);
  });

  it('names the token by host and a hash, never the token itself', async () => {
    const limiter = processes[0]!.forToken('secret-token-value', options, 'API.Example');
    const release = await limiter.acquire();
    release();
    expect(limiter.key).toMatch(/^api\.example:[0-9a-f]{16}$/);
    const keys = await connections[0]!.keys(`${prefix}:limiter:*`);
    expect(keys.join(' ')).not.toContain('secret-token-value');
    // Another host: another limit.
    expect(processes[0]!.forToken('secret-token-value', options, 'other.host').key).not.toBe(
      limiter.key,
    );
  });

  it('a pause set by one process holds the token in the other; a long one refuses at once', async () => {
    const [p1, p2] = processes as [RedisRateLimiters, RedisRateLimiters];
    const a1 = p1.forToken('token-paused', options, 'h');
    const a2 = p2.forToken('token-paused', options, 'h');
    await a1.backOff(400);
    const t0 = Date.now();
    (await a2.acquire())();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    // After a refusal the worker pauses the token (longer than a request may wait inline).
    await p1.pause(a1.key, 5000);
    const t1 = Date.now();
    const refused = await a2.acquire().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TokenPaused);
    expect((refused as TokenPaused).retryAfterMs).toBeGreaterThan(4000);
    expect(Date.now() - t1).toBeLessThan(300);
    // Other tokens go on.
    const t2 = Date.now();
    (await p2.forToken('token-free', options, 'h').acquire())();
    expect(Date.now() - t2).toBeLessThan(300);
  });
});
