import { mkdtempSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../src/jobs/job-list.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { spawnCli, type CliExit } from '../helpers/cli-process.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { deletePrefixKeys, testPrefix } from '../helpers/redis.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  exitWithin,
  startWorker,
  waitFor,
  type Cluster,
} from '../helpers/worker-cluster.js';

/**
 * Issue 23, item 18: in service mode an operator runs a job now through the queue
 * (`ezh jobs run`), sees what runs where (`ezh jobs list`: active jobs with the worker holding
 * each, waiting and delayed ones), and can dedicate a worker to some queues (`--queues`).
 */

describe('service mode: ezh jobs run / list, ezh worker --queues', () => {
  let sb: SandboxServer;
  let mirror: TestMirror;
  let dir: string;
  let prefix: string;
  let cluster: Cluster;
  const ezh = (...args: string[]): Promise<CliExit> =>
    spawnCli(['--config', cluster.configFile, ...args]).exited;

  beforeAll(async () => {
    // Every reply takes 1 s: the run's jobs stay active long enough to be listed by a CLI that
    // takes seconds to start on a loaded machine (the run is not waited for).
    sb = await startSandbox({
      size: 'small',
      seed: 49,
      faults: { rate: 1, kinds: ['slow'], slowMs: 1000 },
    });
    mirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-service-jobs-'));
    prefix = testPrefix();
    cluster = clusterConfig({
      dir,
      url: sb.url,
      schools: sb.schools.slice(0, 1),
      schema: mirror.database.schema,
      prefix,
    });
  });

  afterAll(async () => {
    await deletePrefixKeys(prefix).catch(() => undefined);
    await mirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rejects unknown jobs and queues with exit 2', { timeout: 120_000 }, async () => {
    const [job, queues] = await Promise.all([
      ezh('jobs', 'run', 'frobnicate'),
      ezh('worker', '--queues', 'sync,bogus'),
    ]);
    expect(job.code, job.out).toBe(2);
    expect(job.out).toMatch(/^ezh: unknown job "frobnicate"/m);
    expect(job.out).toMatch(/sync, checks, alerts, report, archive/);
    expect(queues.code, queues.out).toBe(2);
    expect(queues.out).toMatch(/unknown queue "bogus"/);
  });

  it(
    'queues a sync that a --queues sync worker runs, listed with the worker holding it',
    { timeout: 300_000 },
    async () => {
      const schoolId = sb.schools[0]!.id;
      const queues = clusterQueues(cluster.config);
      const worker = startWorker(cluster.configFile, ['--queues', 'sync']);
      const workerName = `${hostname()}:${worker.child.pid}`;
      try {
        const queued = await ezh('jobs', 'run', 'sync', '--school', schoolId);
        expect(queued.code, queued.out).toBe(0);
        expect(queued.stdout).toMatch(
          new RegExp(`^queued sync\\.school manual-sync-${schoolId}-\\S+ on queue sync$`, 'm'),
        );
        const checks = await ezh('jobs', 'run', 'check', '--school', schoolId);
        expect(checks.code, checks.out).toBe(0);
        expect(checks.stdout).toMatch(/^queued checks\.run manual-checks-\S+ on queue checks$/m);

        // The run's jobs are held by this worker, by name (host:pid).
        const active = await waitFor('an active sync job', 120_000, async () => {
          const jobs = await listJobs(queues, ['active']);
          return jobs.find((j) => j.queue === 'sync' && j.worker === workerName);
        });
        expect(active.worker).toBe(workerName);
        // `ezh jobs list` shows it with its worker. Between two of the run's scope groups no sync
        // job is active for a moment (the school's next group waits for the school's lock, as
        // `delayed`), and the listing is a process of its own started after the check above: it
        // is asked again until it shows one, as a user would look again.
        let last = '';
        const rows = await waitFor('`ezh jobs list` showing the active sync', 60_000, async () => {
          const list = await ezh('jobs', 'list');
          expect(list.code, list.out).toBe(0);
          last = list.stdout;
          const lines = list.stdout.split('\n');
          return lines.some((r) => /^sync\s+active\s/.test(r) && r.includes(workerName))
            ? lines
            : undefined;
        }).catch((err: unknown) => {
          throw new Error(`${String(err)}\n${last}`);
        });
        // The checks job waits: this worker serves the sync queue only.
        expect(
          rows.some((r) => /^checks\s+waiting\s+manual-checks-/.test(r)),
          rows.join('\n'),
        ).toBe(true);

        // The sync runs through the queue (no embedded process), the checks job still waits.
        const runs = await mirror.db.query<{ school_id: string; status: string }>(
          'SELECT school_id, status FROM sync_runs',
        );
        expect(runs).toEqual([{ school_id: schoolId, status: 'running' }]);
        expect(await queues.queue('checks').getWaitingCount()).toBe(1);
      } finally {
        worker.child.kill('SIGTERM');
        // It finishes the scope it is reading (requests of 1 s each) first.
        const exit = await exitWithin(worker, 90_000);
        if (!exit) worker.child.kill('SIGKILL');
        expect(exit?.code, exit?.out).toBe(0);
        // Nothing failed: the worker handed its jobs back.
        expect(await queues.queue('sync').getFailedCount()).toBe(0);
        await closeQueues(queues);
      }
    },
  );
});
