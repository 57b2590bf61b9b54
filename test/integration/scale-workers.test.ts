import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { mirrorDigest, type MirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { obliterateQueues, testPrefix } from '../helpers/redis.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import {
  clusterConfig,
  clusterQueues,
  closeQueues,
  queueSchoolSyncs,
  startWorker,
  waitForRuns,
  type WorkerProcess,
} from '../helpers/worker-cluster.js';

/**
 * Scale: three `ezh worker` processes, ten schools of one sandbox, a PostgreSQL mirror and Redis.
 * One worker is killed with SIGKILL while every worker holds a job; the others take its jobs over
 * (short locks and stalled-job checks from config), and the mirror ends equal to one embedded run
 * per school: same live rows and content hashes per entity, one history version per record.
 */

const SCHOOLS = 10;

function withoutShared(d: MirrorDigest): MirrorDigest {
  const { workTypes: _shared, ...rest } = d;
  return rest;
}

describe('scale: 3 workers, 10 schools, one worker killed mid-run', () => {
  let sb: SandboxServer;
  let pgMirror: TestMirror;
  let embedded: TestMirror;
  let dir: string;
  let prefix: string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 23, schools: SCHOOLS });
    pgMirror = await createTestMirror('postgres');
    embedded = await createTestMirror('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'ezh-scale-'));
    prefix = testPrefix();
  });

  afterAll(async () => {
    await obliterateQueues(prefix).catch(() => undefined);
    await pgMirror?.dispose();
    await embedded?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the sandbox serves ten schools with their own tokens and time zones', () => {
    expect(sb.schools).toHaveLength(SCHOOLS);
    expect(new Set(sb.schools.map((s) => s.id)).size).toBe(SCHOOLS);
    expect(new Set(sb.schools.map((s) => s.token)).size).toBe(SCHOOLS);
    expect(new Set(sb.schools.map((s) => s.timeZone)).size).toBeGreaterThan(1);
  });

  it(
    'finishes with the mirror of one embedded run per school, nothing lost or doubled',
    { timeout: 360_000 },
    async () => {
      const { configFile, config } = clusterConfig({
        dir,
        url: sb.url,
        schools: sb.schools,
        schema: pgMirror.database.schema,
        prefix,
        lockDurationMs: 3000,
        stalledIntervalMs: 1000,
        syncConcurrency: 2,
      });
      const workers: WorkerProcess[] = [0, 1, 2].map(() => startWorker(configFile));
      const queues = clusterQueues(config);
      try {
        await queueSchoolSyncs(
          queues,
          sb.schools.map((s) => s.id),
        );
        // With 2 jobs per worker at most, 5 active jobs mean every worker holds at least one.
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
          const active = await queues.queue('sync').getActiveCount();
          if (active >= 5) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        workers[0]!.child.kill('SIGKILL');
        const killed = await workers[0]!.exited;
        expect(killed.signal).toBe('SIGKILL');

        const runs = await waitForRuns(pgMirror.db, SCHOOLS, 200_000);
        expect(runs.map((r) => r.status)).toEqual(sb.schools.map(() => 'succeeded'));
        expect(await queues.queue('sync').getFailedCount()).toBe(0);
        // The killed worker's jobs were taken over: BullMQ counted them as stalled once.
        const done = await queues.queue('sync').getCompleted(0, -1);
        expect(done.some((j) => (j.stalledCounter ?? 0) > 0)).toBe(true);
      } finally {
        for (const w of workers.slice(1)) w.child.kill('SIGTERM');
        const results = await Promise.all(workers.slice(1).map((w) => w.exited));
        for (const r of results) expect(r.code, r.out).toBe(0);
        await closeQueues(queues);
      }

      // One embedded run per school, then compare school by school.
      const cfg = sandboxConfig(sb);
      for (const school of sb.schools) {
        const run = await syncSandboxSchool(embedded.db, cfg, sb.clock, school.id);
        expect(run.status).toBe('succeeded');
        expect(withoutShared(await mirrorDigest(pgMirror.db, school.id))).toEqual(
          withoutShared(await mirrorDigest(embedded.db, school.id)),
        );
      }
      // No scope applied twice to different effect: versions per record as in the embedded runs.
      const versions = async (m: TestMirror) =>
        (
          await m.db.query<{ school_id: string; entity: string; n: number; records: number }>(
            `SELECT school_id, entity, count(*) AS n, count(DISTINCT record_id) AS records
             FROM record_versions WHERE entity NOT IN ('work_types', 'workTypes') GROUP BY school_id, entity ORDER BY school_id, entity`,
          )
        ).map((r) => ({ ...r, n: Number(r.n), records: Number(r.records) }));
      expect(await versions(pgMirror)).toEqual(await versions(embedded));
    },
  );
});
