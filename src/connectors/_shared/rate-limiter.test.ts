import { describe, expect, it } from 'vitest';
import { RateLimiter, RateLimiterRegistry } from './rate-limiter.js';
import { FakeTiming } from './timing.js';

describe('rate limiter', () => {
  it('spaces requests to the configured rate', async () => {
    const time = new FakeTiming(1_000_000);
    const limiter = new RateLimiter({ requestsPerSecond: 4, concurrency: 10 }, time);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 9 }, () => limiter.run(async () => void starts.push(time.now()))),
    );
    // 9 requests at 4/s: the last starts 2 s after the first, none earlier than its slot.
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(2000);
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) {
      expect((sorted[i] as number) - (sorted[i - 1] as number)).toBeGreaterThanOrEqual(250);
    }
  });

  it('never lets more than `concurrency` requests run at once', async () => {
    const time = new FakeTiming();
    const limiter = new RateLimiter({ requestsPerSecond: 100, concurrency: 2 }, time);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await time.sleep(1000);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    // Eight one-second requests two at a time take at least four seconds.
    expect(time.now()).toBeGreaterThanOrEqual(4000);
  });

  it('gives every user of one token the same limiter, and other tokens their own', () => {
    const registry = new RateLimiterRegistry(new FakeTiming());
    const a = registry.forToken('token-a', { requestsPerSecond: 4, concurrency: 4 });
    const again = registry.forToken('token-a', { requestsPerSecond: 50, concurrency: 50 });
    const b = registry.forToken('token-b', { requestsPerSecond: 4, concurrency: 4 });
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    expect(registry.size).toBe(2);
  });

  it('after a refusal every later request of the token waits out the pause', async () => {
    const time = new FakeTiming(0);
    const limiter = new RateLimiter({ requestsPerSecond: 100, concurrency: 4 }, time);
    (await limiter.acquire())();
    await limiter.backOff(5000);
    const starts: number[] = [];
    await Promise.all([1, 2].map(() => limiter.run(async () => void starts.push(time.now()))));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(5000);
  });

  it('keys a token by host and a hash, never the token', () => {
    const registry = new RateLimiterRegistry(new FakeTiming());
    const options = { requestsPerSecond: 4, concurrency: 4 };
    const one = registry.forToken('token-secret-1', options, 'api.dnevnik.ru');
    const other = registry.forToken('token-secret-1', options, 'api.school.mosreg.ru');
    expect(one).not.toBe(other);
    expect(one.key).toMatch(/^api\.dnevnik\.ru:[0-9a-f]{16}$/);
    expect(one.key).not.toContain('secret');
  });
});
