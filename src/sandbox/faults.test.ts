import { describe, expect, it } from 'vitest';
import { faultFor } from './faults.js';
import { startSandbox } from './server.js';
import { getRaw } from './test-helpers.js';

describe('sandbox faults', () => {
  it('faults about the configured share of requests, deterministically by seed', () => {
    const opts = { rate: 0.1, seed: 7 };
    const draws = Array.from({ length: 5000 }, (_, i) => faultFor(opts, i + 1));
    const share = draws.filter((f) => f !== null).length / draws.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    expect(new Set(draws.filter((f) => f !== null))).toEqual(
      new Set(['429', '433', 'limitBody', 'html502', 'slow', 'timeout']),
    );
    expect(Array.from({ length: 5000 }, (_, i) => faultFor(opts, i + 1))).toEqual(draws);
    expect(faultFor(undefined, 1)).toBeNull();
  });

  it('serves each failing kind as the platform does, and a retry succeeds with the same data', async () => {
    const sb = await startSandbox({
      size: 'small',
      seed: 1,
      faults: {
        rate: 0.5,
        seed: 3,
        kinds: ['429', '433', 'limitBody', 'html502', 'slow'],
        slowMs: 20,
      },
    });
    try {
      const token = sb.schools[0]!.token;
      const path = `schools/${sb.schools[0]!.id}/edu-groups`;
      const seen = new Set<string>();
      let good: string | null = null;
      for (let i = 0; i < 60; i++) {
        const r = await getRaw(sb.url, path, token);
        if (r.status === 429) {
          expect(['0', '1']).toContain(r.headers.get('retry-after'));
          seen.add('429');
        } else if (r.status === 433) seen.add('433');
        else if (r.status === 502) {
          expect(r.type).toContain('text/html');
          expect(r.text).toContain('<div class="error__description">');
          seen.add('html502');
        } else if (r.text.includes('apiRequestLimit')) {
          expect(r.status).toBe(200);
          seen.add('limitBody');
        } else {
          expect(r.status).toBe(200);
          if (good !== null) expect(r.text).toBe(good);
          good = r.text;
        }
      }
      expect(seen).toEqual(new Set(['429', '433', 'html502', 'limitBody']));
      expect(good).not.toBeNull();
    } finally {
      await sb.close();
    }
  });

  it('holds the socket past the client timeout, then answers the retry', async () => {
    const sb = await startSandbox({
      size: 'small',
      seed: 1,
      faults: { rate: 1, seed: 1, kinds: ['timeout'], holdMs: 5_000 },
    });
    try {
      const url = new URL(`schools/${sb.schools[0]!.id}`, sb.url);
      await expect(
        fetch(url, {
          headers: { 'Access-Token': sb.schools[0]!.token },
          signal: AbortSignal.timeout(200),
        }),
      ).rejects.toThrow();
    } finally {
      await sb.close();
    }
  });
});
