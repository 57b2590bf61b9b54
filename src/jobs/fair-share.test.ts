import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deletePrefixKeys, testPrefix, TEST_REDIS_URL } from '../../test/helpers/redis.js';
import { FairShare, HEAVY_WEIGHT, weightOfMode } from './fair-share.js';

describe('fair sharing of the sync queue', () => {
  const prefix = testPrefix();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  afterAll(async () => {
    await deletePrefixKeys(prefix);
    redis.disconnect();
  });

  it('a school arriving later runs next, interleaved with a backfill queued before it', async () => {
    const fair = new FairShare(redis, prefix);
    const backfill = await fair.priorities('A', weightOfMode('full'), 100);
    // Workers have started A's first 10 groups.
    await fair.started(backfill[9]);
    const hourly = await fair.priorities('B', weightOfMode('incremental'), 6);
    // Run in priority order (BullMQ: lower first, ties in queueing order).
    const order = [
      ...backfill.slice(10).map((p, i) => ({ p, who: 'A', i })),
      ...hourly.map((p, i) => ({ p, who: 'B', i: 1000 + i })),
    ]
      .sort((x, y) => x.p - y.p || x.i - y.i)
      .map((x) => x.who)
      .slice(0, 9)
      .join('');
    // B's six groups take two turns for each of A's, not after A's 90.
    expect(order).toBe('BABBABBAB');
    expect(HEAVY_WEIGHT).toBe(2);
    // A later stage of A's run (no mode) keeps the run's weight.
    const windows = await fair.priorities('A', 0, 2);
    expect(windows[1]! - windows[0]!).toBe(HEAVY_WEIGHT);
  });

  it("the daytime runs (the schedule's `hourly` mode) count as light as incremental ones", () => {
    expect(weightOfMode('hourly')).toBe(weightOfMode('incremental'));
    expect(weightOfMode('hourly')).toBeLessThan(weightOfMode('full'));
  });
});
