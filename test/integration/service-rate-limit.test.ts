import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { limiterKey } from '../../src/connectors/_shared/rate-limiter.js';
import { jobSpec } from '../../src/jobs/job-names.js';
import { startSandbox, type FaultOptions, type SandboxServer } from '../../src/sandbox/index.js';
import { mirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror, TEST_PG_URL, type TestMirror } from '../helpers/mirrors.js';
import { obliterateQueues, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import { clusterQueues, closeQueues, startWorker, waitForRuns } from '../helpers/worker-cluster.js';

/**
 * Issue 4, service mode under the platform's request limit: while the platform answers "too many
 * requests" (HTTP 429, 433, or an `apiRequestLimit` body with HTTP 200), the refused token pauses
 * (issue 24: the token, in Redis, not the whole queue) instead of failing jobs or spending their
 * attempts, and the run completes once the platform recovers. Two workers: the pause must hold
 * for both, not only for the one that hit the limit.
 */

const OFF = { enabled: false };

async function checkpointCount(m: TestMirror, runId: string): Promise<number> {
  const rows = await m.db.query<{ n: number }>(
    'SELECT count(*) AS n FROM sync_checkpoints WHERE sync_run_id = ?',
    [runId],
  );
  return Number(rows[0]!.n);
}
const ATTEMPTS = 3;
const PAUSE_MS = 1500;
const LIMITED_MS = 10_000;

describe('service mode: the platform rate-limits for a while', () => {
  let sb: SandboxServer;
  // The sandbox reads its fault options on every request: the test turns the limit on and off.
  const faults: FaultOptions = { rate: 0, seed: 3, kinds: ['429', '433', 'limitBody'] };
  let pgMirror: TestMirror;
  let dir: string;
  let prefix: string;
  let configFile: string;
  let config: Config;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 47, faults });
    pgMirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-rate-limit-'));
    prefix = testPrefix();
    const raw = {
      database: { type: 'postgres', url: TEST_PG_URL, schema: pgMirror.database.schema },
      // One retry in the connector: a limited fetch reaches the job quickly.
      platform: {
        baseUrl: sb.url,
        requestsPerSecond: 50,
        concurrency: 4,
        timeoutMs: 10_000,
        maxRetries: 1,
      },
      schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
      redis: { url: TEST_REDIS_URL, prefix },
      log: { level: 'warn', format: 'json' },
      jobs: {
        attempts: ATTEMPTS,
        backoffMs: 200,
        rateLimitPauseMs: PAUSE_MS,
        afterSync: [],
        concurrency: { sync: 2 },
        // Workers install the schedules at start: none here, so no scheduled sync joins the run.
        schedules: {
          incrementalSync: OFF,
          reconcileSync: OFF,
          auditReport: OFF,
          archive: OFF,
          archivePeriodEnd: OFF,
        },
      },
      alerts: { enabled: false },
    };
    configFile = join(dir, 'ezh.yaml');
    writeFileSync(configFile, JSON.stringify(raw));
    config = configSchema.parse(raw);
  });

  afterAll(async () => {
    await obliterateQueues(prefix).catch(() => undefined);
    await pgMirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'pauses the token without failing jobs or spending attempts, then completes the run',
    { timeout: 300_000 },
    async () => {
      const schoolId = sb.schools[0]!.id;
      const runId = `run-limit-${schoolId}`;
      const queues = clusterQueues(config);
      // The token's shared limiter: its `pause` is when every worker may use the token again.
      const tokenLimiter = `${prefix}:limiter:${limiterKey(sb.schools[0]!.token, new URL(sb.url).host)}`;
      const tokenPaused = async () =>
        Number((await queues.connection.hget(tokenLimiter, 'pause')) ?? 0) > Date.now();
      const workers = [startWorker(configFile), startWorker(configFile)];
      const maxAttempts = new Map<string, number>();
      let pendingAttempts = 0;
      const note = (jobs: Job[]) => {
        for (const j of jobs) {
          if (j.id) maxAttempts.set(j.id, Math.max(maxAttempts.get(j.id) ?? 0, j.attemptsMade));
        }
      };
      try {
        const queue = queues.queue('sync');
        await queues.add(
          jobSpec(
            'sync.school',
            { schoolId, request: { mode: 'incremental' }, runId },
            `limit-${schoolId}`,
          ),
        );
        // The platform starts limiting once the window scopes are fanned out (many jobs queued,
        // both workers busy); meanwhile watch the queue's pause and the jobs' attempts.
        const startDeadline = Date.now() + 120_000;
        while ((await checkpointCount(pgMirror, runId)) < 6) {
          if (Date.now() > startDeadline) throw new Error('the workers wrote no scope');
          await new Promise((r) => setTimeout(r, 50));
        }
        faults.rate = 0.85;
        const limitedUntil = Date.now() + LIMITED_MS;
        const startRequests = sb.requestCount();
        let pausedSeen = 0;
        let samples = 0;
        while (Date.now() < limitedUntil) {
          if (await tokenPaused()) pausedSeen++;
          samples++;
          const pending = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
          note(pending);
          for (const j of pending) {
            if (j.attemptsMade === 0) continue;
            // Listed as active, then read after it completed: its one attempt is the success
            // (a job that had failed before would complete with 2).
            if (j.attemptsMade === 1 && (await j.getState()) === 'completed') continue;
            pendingAttempts = Math.max(pendingAttempts, j.attemptsMade);
          }
          expect(await queue.getFailedCount()).toBe(0);
          await new Promise((r) => setTimeout(r, 100));
        }
        const limitedRequests = sb.requestCount() - startRequests;
        // The platform recovers.
        faults.rate = 0;
        const [run] = await waitForRuns(pgMirror.db, 1, 180_000);
        note(await queue.getJobs(['completed', 'failed']));

        expect(run?.status, JSON.stringify(run)).toBe('succeeded');
        expect(await queue.getFailedCount()).toBe(0);
        // The token really paused: most of the limited phase was spent with its pause set...
        expect(pausedSeen / samples).toBeGreaterThan(0.5);
        // ...and the platform was not hammered meanwhile (unpaused, 2 workers send ~50 requests/s).
        expect(limitedRequests).toBeLessThan((LIMITED_MS / 1000) * 20);
        // No job spent an attempt on the limit: a waiting job had never failed (BullMQ counts
        // the successful attempt too, so a completed job has 1).
        expect(pendingAttempts).toBe(0);
        expect(maxAttempts.size).toBeGreaterThan(0);
        const spent = [...maxAttempts.values()];
        expect(Math.max(...spent), JSON.stringify([...maxAttempts])).toBeLessThan(ATTEMPTS);
        const completed = await queue.getJobs(['completed']);
        expect(completed.every((j) => j.attemptsMade < ATTEMPTS)).toBe(true);
        console.info(
          `service-rate-limit: token paused in ${pausedSeen}/${samples} samples, ${limitedRequests} requests in ${LIMITED_MS} ms of limit, max attemptsMade ${Math.max(...spent)}`,
        );
      } finally {
        for (const w of workers) w.child.kill('SIGTERM');
        const exits = await Promise.all(workers.map((w) => w.exited));
        for (const e of exits) expect(e.code, e.out).toBe(0);
        await closeQueues(queues);
      }

      const embedded = await createTestMirror('sqlite');
      try {
        const run = await syncSandboxSchool(embedded.db, sandboxConfig(sb), sb.clock, schoolId);
        expect(run.status).toBe('succeeded');
        expect(await mirrorDigest(pgMirror.db, schoolId)).toEqual(
          await mirrorDigest(embedded.db, schoolId),
        );
      } finally {
        await embedded.dispose();
      }
    },
  );
});
