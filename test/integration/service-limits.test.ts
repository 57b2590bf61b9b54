import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { jobSpec } from '../../src/jobs/job-names.js';
import { startService, type ServiceHost } from '../../src/jobs/service.js';
import { systemClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { peakRate, startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { deletePrefixKeys, obliterateQueues, testPrefix } from '../helpers/redis.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  startWorker,
  waitFor,
  waitForRuns,
  type WorkerProcess,
} from '../helpers/worker-cluster.js';

/**
 * Service mode against a platform that limits each token (issue 24, items 4 and 5): several
 * workers keep one token's rate together, a refused token pauses alone, and one school's
 * backfill does not starve the other schools. The sandbox logs every request of every token:
 * what the platform saw is what is asserted.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WINDOW_MS = 5000;

/** The longest stretch without a request of `times` within [from, to]. */
function maxIdle(times: readonly number[], from: number, to: number): number {
  const inside = [from, ...times.filter((t) => t > from && t < to).sort((a, b) => a - b), to];
  let most = 0;
  for (let i = 1; i < inside.length; i++) most = Math.max(most, inside[i]! - inside[i - 1]!);
  return most;
}

interface Setup {
  sb: SandboxServer;
  mirror: TestMirror;
  dir: string;
  prefix: string;
}

describe('service mode: per-token limits and fair sharing', () => {
  let setup: Setup | null = null;
  const cleanups: (() => Promise<void>)[] = [];

  /** The sandbox limits each token to `limit` requests/s, allowing `burst` back to back. */
  async function prepare(
    schools: number,
    limit: number,
    burst?: number,
    size: 'small' | 'large' = 'small',
  ): Promise<Setup> {
    const sb = await startSandbox({
      size,
      seed: 71,
      schools,
      tokenLimit: { requestsPerSecond: limit, burst },
    });
    const mirror = await createTestMirror('postgres');
    setup = { sb, mirror, dir: mkdtempSync(join(tmpdir(), 'ezh-limits-')), prefix: testPrefix() };
    return setup;
  }

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    if (!setup) return;
    const { sb, mirror, dir, prefix } = setup;
    setup = null;
    await obliterateQueues(prefix).catch(() => undefined);
    await deletePrefixKeys(prefix).catch(() => undefined);
    await mirror.dispose();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `n` services in this process, each with its own Redis connections (as separate workers). */
  async function services(config: Config, mirror: TestMirror, n: number): Promise<ServiceHost[]> {
    const logger = createLogger({ level: 'silent' });
    const hosts: ServiceHost[] = [];
    for (let i = 0; i < n; i++) {
      const host = await startService({ config, db: mirror.db, clock: systemClock, logger });
      hosts.push(host);
      cleanups.push(() => host.close());
    }
    return hosts;
  }

  it(
    '3, 2 and 1 worker processes on one token at 4 requests/s: the platform sees at most 4/s',
    { timeout: 420_000 },
    async () => {
      // The platform's 4/s, with a bucket of 2 s: the sandbox shares this process's CPU with
      // PostgreSQL and three workers, and stamps arrivals late (in bunches) when it is busy.
      // The large school: its first sync needs far more requests than the three windows take at
      // 4/s (the small school's, since attendance is one call per window, ran out in the last).
      const { sb, mirror, dir, prefix } = await prepare(1, 4, 8, 'large');
      const school = sb.schools[0]!;
      const { configFile, config } = clusterConfig({
        dir,
        url: sb.url,
        schools: sb.schools,
        schema: mirror.database.schema,
        prefix,
        requestsPerSecond: 4,
        syncConcurrency: 4,
      });
      const workers: WorkerProcess[] = [];
      const queues = clusterQueues(config);
      cleanups.push(async () => {
        for (const w of workers) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
        await closeQueues(queues);
      });
      workers.push(startWorker(configFile), startWorker(configFile), startWorker(configFile));
      await waitFor(
        '3 workers',
        240_000,
        async () => (await queues.queue('sync').getWorkersCount()) >= 3,
      );
      await queues.add(
        jobSpec(
          'sync.school',
          { schoolId: school.id, request: { mode: 'full' }, runId: 'run-limit' },
          'limit',
        ),
      );
      // The run has fanned out once its class groups are fetched (by every worker).
      await waitFor('the fan-out', 60_000, async () => sb.tokenRequests(school.token).length >= 30);
      const windows: { workers: number; from: number; to: number }[] = [];
      for (const n of [3, 2, 1]) {
        if (n < 3) {
          // One worker fewer: it finishes its current scope and exits.
          const w = workers.pop()!;
          w.child.kill('SIGTERM');
          await w.exited;
        }
        const from = Date.now();
        await sleep(WINDOW_MS);
        windows.push({ workers: n, from, to: Date.now() });
      }
      const log = sb.tokenRequests(school.token);
      const figures = windows.map(({ workers: n, from, to }) => {
        const times = log.filter((r) => r.at >= from && r.at < to).map((r) => r.at);
        return {
          workers: n,
          requests: times.length,
          perSecond: Math.round((times.length / ((to - from) / 1000)) * 100) / 100,
          peak3s: Math.round(peakRate(times, 3000) * 100) / 100,
        };
      });
      const refused = log.filter((r) => r.refused).length;
      console.log('per-token rate', JSON.stringify({ figures, refused }));
      for (const f of figures) {
        // The workers were busy (the limit, not idleness, kept the rate down) ...
        expect(f.requests, `${f.workers} workers`).toBeGreaterThanOrEqual(2 * (WINDOW_MS / 1000));
        // ... and kept 4/s: on average, and in any 3 s at most 15: a window of 3 s holds 13
        // starts 250 ms apart (both ends; measured 13 on every run), plus two of arrival jitter.
        expect(f.perSecond, `${f.workers} workers`).toBeLessThanOrEqual(4.4);
        expect(f.peak3s, `${f.workers} workers`).toBeLessThanOrEqual(15 / 3);
      }
      // The platform never had to refuse the token.
      expect(refused).toBe(0);
    },
  );

  it(
    'a 429 for school A pauses A only: B runs on, A sends nothing until its pause is over',
    { timeout: 180_000 },
    async () => {
      const { sb, mirror, dir, prefix } = await prepare(2, 100);
      const [a, b] = sb.schools as [(typeof sb.schools)[0], (typeof sb.schools)[0]];
      const pauseMs = 4000;
      const { config } = clusterConfig({
        dir,
        url: sb.url,
        schools: sb.schools,
        schema: mirror.database.schema,
        prefix,
        requestsPerSecond: 10,
        maxRetries: 1,
        rateLimitPauseMs: pauseMs,
        syncConcurrency: 2,
      });
      await services(config, mirror, 2);
      const queues = clusterQueues(config);
      cleanups.push(() => closeQueues(queues));
      for (const s of [a, b]) {
        await queues.add(
          jobSpec(
            'sync.school',
            { schoolId: s.id, request: { mode: 'full' }, runId: `run-${s.id}` },
            `sync-${s.id}`,
          ),
        );
      }
      await waitFor('both schools fetching', 60_000, async () =>
        [a, b].every((s) => sb.tokenRequests(s.token).length >= 25),
      );
      // The platform refuses A's token for 3 s, asking for 1 s; ezh retries once, then gives up.
      sb.refuseToken(a.token, 3000, 1);
      await sleep(pauseMs + 4000);
      const aLog = sb.tokenRequests(a.token);
      const refused = aLog.filter((r) => r.refused);
      expect(refused.length).toBeGreaterThan(0);
      const lastRefused = Math.max(...refused.map((r) => r.at));
      const firstRefused = Math.min(...refused.map((r) => r.at));
      const next = aLog.find((r) => r.at > lastRefused);
      const bTimes = sb.tokenRequests(b.token).map((r) => r.at);
      const figures = {
        refusedA: refused.length,
        aSilentAfterRefusalMs: next ? next.at - lastRefused : null,
        bMaxIdleDuringPauseMs: maxIdle(bTimes, firstRefused, lastRefused + pauseMs),
        bRequestsDuringPause: bTimes.filter((t) => t > firstRefused && t < lastRefused + pauseMs)
          .length,
      };
      console.log('429 for one school', JSON.stringify(figures));
      // A was paused: nothing of A's (its running jobs, its delayed ones, the stages added
      // meanwhile) reached the platform for the configured pause after its last refusal.
      expect(figures.aSilentAfterRefusalMs ?? Infinity).toBeGreaterThanOrEqual(pauseMs - 500);
      // B was not paused: it never fell silent for anything like A's pause. (Alone, its longest
      // gap was about 0.5 s; under the whole suite's load on 2 cores once 2.06 s, the machine
      // and not the limiter: a paused B would be silent as long as A, 3.5 s and more.)
      expect(figures.bMaxIdleDuringPauseMs).toBeLessThan(pauseMs - 1000);
      // And A carried on afterwards: both runs end well.
      const runs = await waitForRuns(mirror.db, 2, 120_000);
      expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    },
  );

  it(
    "one school's backfill on 2 workers does not starve the other schools' syncs",
    { timeout: 240_000 },
    async () => {
      const { sb, mirror, dir, prefix } = await prepare(3, 100);
      const [big, ...others] = sb.schools;
      const { config } = clusterConfig({
        dir,
        url: sb.url,
        schools: sb.schools,
        schema: mirror.database.schema,
        prefix,
        requestsPerSecond: 8,
        syncConcurrency: 1,
      });
      // Queued before any worker runs, the backfill first: the order that starved schools.
      const queues = clusterQueues(config);
      cleanups.push(() => closeQueues(queues));
      const queue = async (id: string, mode: 'full' | 'incremental') =>
        queues.add(
          jobSpec(
            'sync.school',
            { schoolId: id, request: { mode }, runId: `run-${id}` },
            `s-${id}`,
          ),
        );
      await queue(big!.id, 'full');
      for (const s of others) await queue(s.id, 'incremental');
      await services(config, mirror, 2);
      const runs = await waitForRuns(mirror.db, sb.schools.length, 200_000);
      expect(runs.map((r) => r.status)).toEqual(sb.schools.map(() => 'succeeded'));
      const all = sb.schools.flatMap((s) => sb.tokenRequests(s.token).map((r) => r.at));
      const span = Math.max(...all) - Math.min(...all);
      const idle = Object.fromEntries(
        sb.schools.map((s) => {
          const times = sb.tokenRequests(s.token).map((r) => r.at);
          // From the first request of any school to this school's last: waiting to start counts.
          return [
            s.id === big!.id ? 'backfill' : s.id,
            maxIdle(times, Math.min(...all), Math.max(...times)),
          ];
        }),
      );
      console.log('fair sharing', JSON.stringify({ spanMs: span, maxIdleMs: idle }));
      // Every school progressed all along: none waited long while another's work ran.
      for (const [id, ms] of Object.entries(idle)) {
        expect(ms, id).toBeLessThan(Math.max(5000, span * 0.2));
      }
    },
  );
});
