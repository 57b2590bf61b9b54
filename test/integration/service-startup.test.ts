import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSpec } from '../../src/jobs/job-names.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { deletePrefixKeys, testPrefix } from '../helpers/redis.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  exitWithin,
  startWorker,
} from '../helpers/worker-cluster.js';

/**
 * Issue 23, item 13: a worker whose start-up fails (the metrics port is taken) must not be left
 * half started, taking jobs it then fails while systemd shows it active. Start-up is all or
 * nothing: it exits non-zero with a clear message and no job was touched.
 */

describe('service mode: worker start-up is all or nothing', () => {
  let mirror: TestMirror;
  let dir: string;
  let prefix: string;
  let blocker: Server;
  let port: number;

  beforeAll(async () => {
    mirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-service-startup-'));
    prefix = testPrefix();
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    port = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => blocker?.close(() => r()));
    await deletePrefixKeys(prefix).catch(() => undefined);
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with a message naming the port, and takes no job', { timeout: 90_000 }, async () => {
    const cluster = clusterConfig({
      dir,
      url: 'http://127.0.0.1:9',
      schools: [
        { id: '1000000000000000001', token: 'token-of-a-school', timeZone: 'Europe/Moscow' },
      ],
      schema: mirror.database.schema,
      prefix,
      metricsPort: port,
    });
    const queues = clusterQueues(cluster.config);
    try {
      await queues.add(
        jobSpec(
          'sync.school',
          { schoolId: '1000000000000000001', request: { mode: 'incremental' } },
          'startup-1',
        ),
      );
      const worker = startWorker(cluster.configFile);
      const exit = await exitWithin(worker, 45_000);
      if (!exit) worker.child.kill('SIGKILL');
      expect(exit, 'the worker was still running 45 s after its start-up failed').not.toBeNull();
      expect(exit!.code, exit!.out).toBe(2);
      expect(exit!.out).toMatch(new RegExp(`^ezh: .*127\\.0\\.0\\.1:${port}.*in use`, 'm'));
      expect(exit!.out).not.toMatch(/\n\s+at /); // no stack trace
      // The job was never taken: still waiting, no attempt spent, no run recorded.
      const job = await queues.queue('sync').getJob('startup-1');
      expect(await job!.getState()).toBe('waiting');
      expect(job!.attemptsMade).toBe(0);
      expect(await mirror.db.query('SELECT id FROM sync_runs')).toEqual([]);
    } finally {
      await closeQueues(queues);
    }
  });

  it('exits 1 naming Redis when Redis does not answer at start', { timeout: 90_000 }, async () => {
    // A port where nothing listens: the blocker's port after it closed would race; take a fresh one.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const cluster = clusterConfig({
      dir,
      url: 'http://127.0.0.1:9',
      schools: [
        { id: '1000000000000000001', token: 'token-of-a-school', timeZone: 'Europe/Moscow' },
      ],
      schema: mirror.database.schema,
      prefix: `${prefix}-dead`,
      redisUrl: `redis://127.0.0.1:${deadPort}`,
    });
    const worker = startWorker(cluster.configFile);
    const exit = await exitWithin(worker, 45_000);
    if (!exit) worker.child.kill('SIGKILL');
    expect(exit, 'the worker was still running 45 s after Redis did not answer').not.toBeNull();
    expect(exit!.code, exit!.out).toBe(1);
    expect(exit!.out).toMatch(
      new RegExp(`^ezh: Redis at 127\\.0\\.0\\.1:${deadPort} .*does not answer`, 'm'),
    );
  });
});
