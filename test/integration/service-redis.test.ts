import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSpec } from '../../src/jobs/job-names.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { spawnCli } from '../helpers/cli-process.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { deletePrefixKeys, startRedisProxy, testPrefix } from '../helpers/redis.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  exitWithin,
  startWorker,
  waitFor,
  waitForRuns,
  type WorkerProcess,
} from '../helpers/worker-cluster.js';

/**
 * Issue 23, items 15 and 20: Redis restarted empty (simulated by deleting this test's keys; the
 * machine's Redis is shared) and Redis down (a proxy closed). Workers notice the loss and install
 * the schedules again and resume the run whose jobs vanished; `/metrics` answers while Redis is
 * down and says so; `/health` and `/ready` tell liveness from readiness; job durations and
 * outcomes are in the metrics.
 */

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function get(url: string, ms = 5000): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

/** The value of one sample of the Prometheus text, summed over series matching the labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  let found: number | null = null;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const ls = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => ls[k] === v)) found = (found ?? 0) + Number(m[3]);
  }
  return found;
}

async function stop(worker: WorkerProcess): Promise<{ code: number | null; out: string }> {
  worker.child.kill('SIGTERM');
  const exit = await exitWithin(worker, 30_000);
  if (!exit) worker.child.kill('SIGKILL');
  return { code: exit?.code ?? null, out: exit?.out ?? '(killed: no exit within 30 s)' };
}

describe('service mode: Redis emptied or down', () => {
  let sb: SandboxServer;
  let mirror: TestMirror;
  let dir: string;
  const prefixes: string[] = [];

  beforeAll(async () => {
    // Every reply takes 80 ms: the run is still going when Redis is emptied.
    sb = await startSandbox({
      size: 'small',
      seed: 48,
      faults: { rate: 1, kinds: ['slow'], slowMs: 80 },
    });
    mirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-service-redis-'));
  });

  afterAll(async () => {
    for (const p of prefixes) await deletePrefixKeys(p).catch(() => undefined);
    await mirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'emptied mid-run: the worker installs the schedules again and the run completes',
    { timeout: 300_000 },
    async () => {
      const prefix = testPrefix();
      prefixes.push(prefix);
      const port = await freePort();
      const cluster = clusterConfig({
        dir,
        url: sb.url,
        schools: sb.schools.slice(0, 1),
        schema: mirror.database.schema,
        prefix,
        schedules: true,
        redisCheckIntervalMs: 1000,
        metricsPort: port,
      });
      const schoolId = sb.schools[0]!.id;
      const expected = [`ezh-sync-incremental-${schoolId}`, `ezh-sync-reconcile-${schoolId}`];
      const installed = await spawnCli(['--config', cluster.configFile, 'schedule']).exited;
      expect(installed.code, installed.out).toBe(0);
      const queues = clusterQueues(cluster.config);
      const schedulers = async () =>
        (await queues.queue('sync').getJobSchedulers(0, -1)).map((s) => s.key).sort();
      expect(await schedulers()).toEqual(expected);

      const runId = `run-emptied-${schoolId}`;
      const worker = startWorker(cluster.configFile);
      try {
        await queues.add(
          jobSpec(
            'sync.school',
            { schoolId, request: { mode: 'incremental' }, runId },
            `emptied-${schoolId}`,
          ),
        );
        await waitFor('a few scopes of the run', 120_000, async () => {
          const [r] = await mirror.db.query<{ n: number }>(
            'SELECT count(*) AS n FROM sync_checkpoints WHERE sync_run_id = ?',
            [runId],
          );
          return Number(r!.n) >= 3;
        });
        const deleted = await deletePrefixKeys(prefix);
        expect(deleted).toBeGreaterThan(0);

        // The worker notices within its check interval and installs the schedules again.
        await waitFor('the schedules installed again', 30_000, async () => {
          const keys = await schedulers();
          return keys.length === expected.length ? keys : undefined;
        });
        expect(await schedulers()).toEqual(expected);
        // The run whose jobs vanished does not stay "running": it is resumed and completes.
        const [run] = await waitForRuns(mirror.db, 1, 180_000);
        expect(run?.status, JSON.stringify(run)).toBe('succeeded');
        expect(Number(run!.scopes_done)).toBe(Number(run!.scopes_total));
        expect(await exitWithin(worker, 0)).toBeNull();

        // Item 20: liveness, readiness, and job durations by job and outcome.
        const origin = `http://127.0.0.1:${port}`;
        expect((await get(`${origin}/health`)).status).toBe(200);
        const ready = await get(`${origin}/ready`);
        expect(ready.status, ready.body).toBe(200);
        expect(JSON.parse(ready.body)).toEqual({ ready: true, redis: true, database: true });
        // The finishing job is observed when its handler returns, just after the run row says so.
        const metrics = await waitFor('sync.finish in the job metrics', 15_000, async () => {
          const m = await get(`${origin}/metrics`);
          return sample(m.body, 'ezh_job_duration_seconds_count', { job: 'sync.finish' }) !== null
            ? m
            : undefined;
        });
        expect(metrics.status).toBe(200);
        expect(sample(metrics.body, 'ezh_redis_up')).toBe(1);
        expect(
          sample(metrics.body, 'ezh_job_duration_seconds_count', {
            job: 'sync.scopes',
            outcome: 'completed',
          }),
        ).toBeGreaterThan(0);
        expect(
          sample(metrics.body, 'ezh_job_duration_seconds_count', {
            job: 'sync.finish',
            outcome: 'completed',
          }),
        ).toBeGreaterThanOrEqual(1);
      } finally {
        const exit = await stop(worker);
        await closeQueues(queues);
        expect(exit.code, exit.out).toBe(0);
      }
    },
  );

  it(
    'down: /metrics answers at once with ezh_redis_up 0, /ready says 503, and both recover',
    { timeout: 180_000 },
    async () => {
      const prefix = testPrefix();
      prefixes.push(prefix);
      const proxy = await startRedisProxy();
      const port = await freePort();
      const cluster = clusterConfig({
        dir,
        url: sb.url,
        schools: sb.schools.slice(0, 1),
        schema: mirror.database.schema,
        prefix,
        redisUrl: proxy.url,
        metricsPort: port,
      });
      const origin = `http://127.0.0.1:${port}`;
      const worker = startWorker(cluster.configFile);
      try {
        await waitFor(
          'the worker ready',
          60_000,
          async () => (await get(`${origin}/ready`).catch(() => null))?.status === 200,
        );
        await proxy.down();

        const metrics = await get(`${origin}/metrics`);
        expect(metrics.status).toBe(200);
        expect(metrics.ms).toBeLessThan(4000);
        expect(sample(metrics.body, 'ezh_redis_up')).toBe(0);
        // The mirror's figures are still there.
        expect(sample(metrics.body, 'ezh_sync_runs')).not.toBeNull();
        const ready = await get(`${origin}/ready`);
        expect(ready.status).toBe(503);
        expect(JSON.parse(ready.body)).toEqual({ ready: false, redis: false, database: true });
        expect((await get(`${origin}/health`)).status).toBe(200);
        expect(await exitWithin(worker, 0)).toBeNull();

        await proxy.up();
        await waitFor(
          'the worker ready again',
          60_000,
          async () => (await get(`${origin}/ready`).catch(() => null))?.status === 200,
        );
        expect(sample((await get(`${origin}/metrics`)).body, 'ezh_redis_up')).toBe(1);
      } finally {
        const exit = await stop(worker);
        await proxy.down();
        expect(exit.code, exit.out).toBe(0);
      }
    },
  );
});
