import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSpec } from '../../src/jobs/job-names.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { mirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { obliterateQueues, testPrefix } from '../helpers/redis.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  startWorker,
  waitForRuns,
  type Cluster,
} from '../helpers/worker-cluster.js';

/**
 * Issue 4, service mode: an `ezh worker` stopped with SIGTERM (a deploy, a node drained) finishes
 * the scope it is writing, hands its jobs back and exits 0; another worker started later finishes
 * the run, and the mirror equals an embedded sync of the same platform.
 */

async function checkpointCount(m: TestMirror, runId: string): Promise<number> {
  const rows = await m.db.query<{ n: number }>(
    'SELECT count(*) AS n FROM sync_checkpoints WHERE sync_run_id = ?',
    [runId],
  );
  return Number(rows[0]!.n);
}

describe('service mode: a worker stopped with SIGTERM mid-sync', () => {
  let sb: SandboxServer;
  let pgMirror: TestMirror;
  let dir: string;
  let prefix: string;
  let cluster: Cluster;

  beforeAll(async () => {
    // Every reply takes 150 ms: a sync of the small school takes ~10 s on one worker.
    sb = await startSandbox({
      size: 'small',
      seed: 43,
      faults: { rate: 1, kinds: ['slow'], slowMs: 150 },
    });
    pgMirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-service-sigterm-'));
    prefix = testPrefix();
    // Default locks (120 s): the next worker gets the jobs only if they were handed back, not by
    // waiting for a dead worker's lock to expire.
    cluster = clusterConfig({
      dir,
      url: sb.url,
      schools: sb.schools,
      schema: pgMirror.database.schema,
      prefix,
      syncConcurrency: 2,
    });
  });

  afterAll(async () => {
    await obliterateQueues(prefix).catch(() => undefined);
    await pgMirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'exits 0 after the current scope, loses no job, and the next worker finishes the run',
    { timeout: 300_000 },
    async () => {
      const schoolId = sb.schools[0]!.id;
      const runId = `run-sigterm-${schoolId}`;
      const queues = clusterQueues(cluster.config);
      try {
        await queues.add(
          jobSpec(
            'sync.school',
            { schoolId, request: { mode: 'incremental' }, runId },
            `sigterm-${schoolId}`,
          ),
        );
        const first = startWorker(cluster.configFile);
        // Stop it once window scopes are being written.
        const deadline = Date.now() + 120_000;
        while ((await checkpointCount(pgMirror, runId)) < 8) {
          if (Date.now() > deadline) throw new Error('the first worker wrote no window scope');
          await new Promise((r) => setTimeout(r, 100));
        }
        const signalledAt = Date.now();
        first.child.kill('SIGTERM');
        const stopped = await first.exited;
        const stopMs = Date.now() - signalledAt;
        expect(stopped.signal, stopped.out).toBeNull();
        expect(stopped.code, stopped.out).toBe(0);
        expect(stopMs, stopped.out).toBeLessThan(10_000);

        // The run is not finished, and nothing was lost or failed: the jobs wait for a worker.
        const [run] = await pgMirror.db.query<{ status: string; finished_at: number | null }>(
          'SELECT status, finished_at FROM sync_runs WHERE id = ?',
          [runId],
        );
        expect(run).toEqual({ status: 'running', finished_at: null });
        const doneAtStop = await checkpointCount(pgMirror, runId);
        const counts = await queues.queue('sync').getJobCounts();
        expect(counts.failed, JSON.stringify(counts)).toBe(0);
        expect(counts.active, JSON.stringify(counts)).toBe(0);
        expect(
          counts.waiting! + counts.delayed! + counts['waiting-children']! + counts.prioritized!,
          JSON.stringify(counts),
        ).toBeGreaterThan(0);

        const second = startWorker(cluster.configFile);
        const [finished] = await waitForRuns(pgMirror.db, 1, 120_000);
        second.child.kill('SIGTERM');
        const secondExit = await second.exited;
        expect(secondExit.code, secondExit.out).toBe(0);
        expect(finished?.status, JSON.stringify(finished)).toBe('succeeded');
        expect(Number(finished!.scopes_done)).toBe(Number(finished!.scopes_total));
        expect(doneAtStop).toBeLessThan(Number(finished!.scopes_total));
        expect(await queues.queue('sync').getFailedCount()).toBe(0);
        console.info(
          `service-sigterm: worker exited ${stopMs} ms after SIGTERM with ${doneAtStop}/${finished!.scopes_total} scopes done`,
        );
      } finally {
        await closeQueues(queues);
      }

      // No scope written twice to different effect: one version per record.
      const twice = await pgMirror.db.query(
        'SELECT entity, record_id FROM record_versions GROUP BY entity, record_id HAVING count(*) > 1 LIMIT 5',
      );
      expect(twice).toEqual([]);
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
