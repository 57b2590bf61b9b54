import { describe, expect, it } from 'vitest';
import { startSandbox } from './index.js';
import { TokenLimits } from './token-limits.js';

describe('the sandbox per-token limit', () => {
  it('admits a token its rate per second and refuses the rest, each token on its own', () => {
    // A token bucket of the rate's size, refilled at the rate: 3 at once, then one per 333 ms.
    const limit = new TokenLimits({ requestsPerSecond: 3 });
    const admitted = (token: string, t: number) => limit.admit(token, t) === null;
    expect([1, 2, 3, 4].map(() => admitted('a', 0))).toEqual([true, true, true, false]);
    expect(admitted('b', 0)).toBe(true);
    expect(admitted('a', 200)).toBe(false);
    expect(admitted('a', 340)).toBe(true);
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
