import { describe, expect, it } from 'vitest';
import { startSandbox } from './index.js';
import { TokenLimit } from './token-limit.js';

describe('the sandbox per-token limit', () => {
  it('admits a token its rate per second and refuses the rest, each token on its own', () => {
    let t = 0;
    const limit = new TokenLimit({ requestsPerSecond: 3 }, () => t);
    expect([1, 2, 3, 4].map(() => limit.admit('a'))).toEqual([true, true, true, false]);
    expect(limit.admit('b')).toBe(true);
    t = 999;
    expect(limit.admit('a')).toBe(false);
    t = 1000;
    expect(limit.admit('a')).toBe(true);
    expect(limit.refused).toBe(2);
  });

  it('answers a request beyond the limit with 429 apiRequestLimit and Retry-After', async () => {
    const sb = await startSandbox({ size: 'small', seed: 1, tokenLimit: { requestsPerSecond: 2 } });
    try {
      const get = () =>
        fetch(`${sb.url}users/me`, { headers: { 'Access-Token': sb.schools[0]!.token } });
      const replies = [await get(), await get(), await get()];
      expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(replies[2]!.headers.get('retry-after')).toBe('1');
      expect(((await replies[2]!.json()) as { type: string }).type).toBe('apiRequestLimit');
      expect(sb.refusedCount()).toBe(1);
    } finally {
      await sb.close();
    }
  });
});
