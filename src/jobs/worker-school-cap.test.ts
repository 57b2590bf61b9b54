import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../config/schema.js';
import { TokenPaused } from '../connectors/_shared/http-error.js';
import { createLogger } from '../platform/logger.js';
import type { SyncDeps } from '../sync/deps.js';
import {
  deletePrefixKeys,
  obliterateQueues,
  testPrefix,
  TEST_REDIS_URL,
} from '../../test/helpers/redis.js';
import { defineJob } from './define-job.js';
import { JobRegistry } from './registry.js';
import { SchoolLocks } from './school-lock.js';
import { ServiceQueues } from './service-queues.js';
import { startWorkers, type RunningWorkers } from './worker.js';

/**
 * Service mode's workers on a real Redis (a key prefix of this test): at most one sync job of a
 * school runs at a time across workers, and a job a refused token holds fails after
 * `jobs.rateLimitMaxWaitMs` instead of waiting forever. The jobs are stand-ins with the sync
 * queue's name and payload fields the workers look at.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = createLogger({ level: 'silent' });

interface Span {
  school: string;
  start: number;
  end: number;
}

describe('service workers: one sync job per school, and no endless wait on a refused token', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  function cluster(
    prefix: string,
    handler: (payload: { schoolId: string; n: number }) => Promise<unknown>,
    processes: number,
  ) {
    const config = configSchema.parse({
      redis: { url: TEST_REDIS_URL, prefix },
      log: { level: 'silent' },
      alerts: { enabled: false },
      jobs: {
        concurrency: { sync: 3 },
        backoffMs: 50,
        rateLimitPauseMs: 100,
        rateLimitMaxWaitMs: 1000,
        lockDurationMs: 5000,
      },
    });
    const job = defineJob({
      name: 'sync.scopes',
      queue: 'sync',
      payload: z.object({ schoolId: z.string(), n: z.number() }),
      handler: (_ctx, payload) => handler(payload),
    });
    const registry = new JobRegistry([job]);
    const all: { queues: ServiceQueues; workers: RunningWorkers; redis: Redis }[] = [];
    for (let i = 0; i < processes; i++) {
      const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const queues = new ServiceQueues(redis, config, registry);
      const workers = startWorkers({
        config,
        registry,
        deps: {} as SyncDeps,
        queues,
        logger: silent,
        kinds: ['sync'],
        locks: new SchoolLocks(redis, prefix, config.jobs.lockDurationMs),
      });
      all.push({ queues, workers, redis });
    }
    cleanups.push(async () => {
      for (const p of all) await p.workers.close();
      for (const p of all) await p.queues.close();
      for (const p of all) p.redis.disconnect();
      await obliterateQueues(prefix);
      await deletePrefixKeys(prefix);
    });
    return all;
  }

  async function settled(queues: ServiceQueues, total: number, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const c = await queues.queue('sync').getJobCounts('completed', 'failed');
      if ((c.completed ?? 0) + (c.failed ?? 0) >= total) return;
      await sleep(100);
    }
    throw new Error(`jobs not settled within ${ms} ms`);
  }

  it("runs one school's sync jobs one at a time across two workers, other schools beside them", async () => {
    const prefix = testPrefix();
    const spans: Span[] = [];
    const [first] = cluster(
      prefix,
      async ({ schoolId }) => {
        const start = Date.now();
        await sleep(200);
        spans.push({ school: schoolId, start, end: Date.now() });
        return null;
      },
      2,
    );
    const q = first!.queues.queue('sync');
    for (let n = 0; n < 5; n++) {
      await q.add('sync.scopes', { schoolId: 'A', n }, { jobId: `A-${n}` });
    }
    for (let n = 0; n < 3; n++) {
      await q.add('sync.scopes', { schoolId: 'B', n }, { jobId: `B-${n}` });
    }
    await settled(first!.queues, 8, 30_000);

    expect(spans).toHaveLength(8);
    for (const school of ['A', 'B']) {
      const own = spans.filter((s) => s.school === school).sort((a, b) => a.start - b.start);
      for (let i = 1; i < own.length; i++) {
        expect(own[i]!.start).toBeGreaterThanOrEqual(own[i - 1]!.end);
      }
    }
    // The cap is per school: the two schools ran at the same time.
    const a = spans.filter((s) => s.school === 'A');
    const b = spans.filter((s) => s.school === 'B');
    expect(a.some((x) => b.some((y) => x.start < y.end && y.start < x.end))).toBe(true);
  }, 60_000);

  it('fails a job a refused token holds longer than jobs.rateLimitMaxWaitMs, with the reason', async () => {
    const prefix = testPrefix();
    const [only] = cluster(
      prefix,
      () => Promise.reject(new TokenPaused(200, 'api.example:0123456789abcdef')),
      1,
    );
    const q = only!.queues.queue('sync');
    const t0 = Date.now();
    await q.add('sync.scopes', { schoolId: 'C', n: 0 }, { jobId: 'C-0', attempts: 5 });
    await settled(only!.queues, 1, 20_000);
    const job = await q.getJob('C-0');
    expect(await job!.getState()).toBe('failed');
    expect(job!.failedReason).toMatch(/refused this school's token .*jobs\.rateLimitMaxWaitMs/);
    // Held at least the maximum, and no attempt was spent on the waits.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(job!.attemptsMade).toBeLessThanOrEqual(1);
  }, 60_000);
});
