import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSpec } from '../../src/jobs/job-names.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { createTestMirror, TEST_PG_URL, type TestMirror } from '../helpers/mirrors.js';
import { deletePrefixKeys, testPrefix } from '../helpers/redis.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  exitWithin,
  startWorker,
  waitFor,
  waitForRuns,
  type Cluster,
} from '../helpers/worker-cluster.js';

/**
 * Issue 23, item 14: PostgreSQL terminates a worker's connection while a scope's transaction is
 * open (a database restart, a failover, an administrator). The worker must not crash on the
 * connection's `error` event: the job fails, BullMQ retries it, the run completes.
 */

describe('service mode: a database connection terminated inside a transaction', () => {
  let sb: SandboxServer;
  let mirror: TestMirror;
  let dir: string;
  let prefix: string;
  let cluster: Cluster;
  let admin: pg.Client;

  beforeAll(async () => {
    // Every reply takes 60 ms: the run lasts long enough to catch a transaction of it.
    sb = await startSandbox({
      size: 'small',
      seed: 47,
      faults: { rate: 1, kinds: ['slow'], slowMs: 60 },
    });
    mirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-service-pg-'));
    prefix = testPrefix();
    cluster = clusterConfig({
      dir,
      url: sb.url,
      schools: sb.schools,
      schema: mirror.database.schema,
      prefix,
      syncConcurrency: 2,
    });
    admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    await deletePrefixKeys(prefix).catch(() => undefined);
    await mirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('survives, retries the job and completes the run', { timeout: 300_000 }, async () => {
    const schoolId = sb.schools[0]!.id;
    const runId = `run-pgterm-${schoolId}`;
    const queues = clusterQueues(cluster.config);
    const worker = startWorker(cluster.configFile);
    try {
      await queues.add(
        jobSpec(
          'sync.school',
          { schoolId, request: { mode: 'incremental' }, runId },
          `pgterm-${schoolId}`,
        ),
      );
      // Only this worker's connections (application_name `ezh <pid>`), only between two statements
      // of a scope's write transaction: one that holds the mirror-writes lock (mirror-writer.ts,
      // `lockMirrorWrites`: a single-key advisory lock, its key's low 32 bits in `objid`). Not the
      // period-totals refresh after the run (its failure is logged, by design, and retries no job),
      // nor a transaction just begun, before its lock (the refresh's looks the same there): under
      // the full suite's load the earlier filter once killed a transaction whose loss retried no job.
      const terminated = await waitFor(
        'a connection of the worker inside a transaction',
        120_000,
        async () => {
          const res = await admin.query<{ pid: number; killed: boolean }>(
            `SELECT a.pid, pg_terminate_backend(a.pid) AS killed FROM pg_stat_activity a
             WHERE a.application_name = $1 AND a.xact_start IS NOT NULL
               AND a.state = 'idle in transaction'
               AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'
                 AND l.granted AND l.objid = (hashtext($2)::bigint & 4294967295)::oid)`,
            [`ezh ${worker.child.pid}`, 'ezh-mirror:dnevnik'],
          );
          return res.rows.some((r) => r.killed) ? res.rows.length : undefined;
        },
        5,
      );
      expect(terminated).toBeGreaterThan(0);

      // The run finishes, or the worker dies first (the old defect: an unhandled `error` event).
      const outcome = await Promise.race([
        waitForRuns(mirror.db, 1, 180_000).then((runs) => ({ runs, died: null })),
        worker.exited.then((died) => ({ runs: [], died })),
      ]);
      expect(outcome.died, outcome.died?.out).toBeNull();
      const [run] = outcome.runs;
      expect(run?.status, JSON.stringify(run)).toBe('succeeded');
      expect(Number(run!.scopes_done)).toBe(Number(run!.scopes_total));
      // The job whose transaction broke failed once and was retried, not lost or failed for good.
      expect(await queues.queue('sync').getFailedCount()).toBe(0);
      const completed = await queues.queue('sync').getCompleted(0, -1);
      const retried = completed.filter(
        (j) => j.attemptsMade > 1 || (j.stacktrace?.length ?? 0) > 0,
      );
      expect(
        retried.length,
        JSON.stringify(completed.map((j) => [j.id, j.attemptsMade])),
      ).toBeGreaterThan(0);
      // One version per record: the broken transaction was rolled back, its retry wrote it once.
      const twice = await mirror.db.query(
        'SELECT entity, record_id FROM record_versions GROUP BY entity, record_id HAVING count(*) > 1 LIMIT 5',
      );
      expect(twice).toEqual([]);
    } finally {
      worker.child.kill('SIGTERM');
      const exit = await exitWithin(worker, 30_000);
      if (!exit) worker.child.kill('SIGKILL');
      await closeQueues(queues);
    }
  });
});
