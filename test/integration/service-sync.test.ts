import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { jobSpec } from '../../src/jobs/job-names.js';
import { ServiceQueues } from '../../src/jobs/service-queues.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { mirrorDigest, type MirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror, TEST_PG_URL, type TestMirror } from '../helpers/mirrors.js';
import { obliterateQueues, testPrefix, TEST_REDIS_URL } from '../helpers/redis.js';
import { syncSandboxSchool, sandboxConfig } from '../helpers/sandbox-sync.js';
import { NEVER_DURING_TESTS } from '../helpers/worker-cluster.js';

/** Service mode end to end: real Redis, real PostgreSQL, two `ezh worker` processes. */

const OFF = { enabled: false };

function withoutShared(d: MirrorDigest): MirrorDigest {
  const { workTypes: _shared, ...rest } = d;
  return rest;
}

function cli(configFile: string, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', '--config', configFile, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

describe('service mode: two workers, Redis, PostgreSQL, a two-school sandbox', () => {
  let sb: SandboxServer;
  let pgMirror: TestMirror;
  let dir: string;
  let prefix: string;
  let configFile: string;
  let rawConfig: Record<string, unknown>;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 41, schools: 2 });
    pgMirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-service-'));
    prefix = testPrefix();
    rawConfig = {
      database: { type: 'postgres', url: TEST_PG_URL, schema: pgMirror.database.schema },
      platform: {
        baseUrl: sb.url,
        requestsPerSecond: 100,
        concurrency: 8,
        timeoutMs: 10_000,
        maxRetries: 10,
      },
      schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
      redis: { url: TEST_REDIS_URL, prefix },
      log: { level: 'warn', format: 'json' },
      jobs: {
        backoffMs: 200,
        afterSync: [],
        concurrency: { sync: 3 },
        // Workers install the schedules at start: patterns that never fire while the test runs.
        schedules: {
          incrementalSync: NEVER_DURING_TESTS,
          reconcileSync: NEVER_DURING_TESTS,
          auditReport: OFF,
          archive: OFF,
          archivePeriodEnd: OFF,
        },
      },
    };
    configFile = join(dir, 'ezh.yaml');
    writeFileSync(configFile, JSON.stringify(rawConfig));
  });

  afterAll(async () => {
    await obliterateQueues(prefix).catch(() => undefined);
    await pgMirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'syncs every school once, with the same mirror as embedded mode',
    { timeout: 600_000 },
    async () => {
      const workers = [cli(configFile, ['worker']), cli(configFile, ['worker'])];
      const done = workers.map(exited);
      const config = configSchema.parse(rawConfig);
      const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const queues = new ServiceQueues(connection, config);
      try {
        for (const school of sb.schools) {
          const runId = `run-test-${school.id}`;
          const job = jobSpec(
            'sync.school',
            { schoolId: school.id, request: { mode: 'incremental' }, runId },
            `test-${school.id}`,
          );
          await queues.add(job);
          await queues.add(job); // the same id twice: one job
        }
        const deadline = Date.now() + 540_000;
        let runs: { id: string; status: string; finished_at: number | null }[] = [];
        while (Date.now() < deadline) {
          runs = await pgMirror.db.query('SELECT id, status, finished_at FROM sync_runs');
          if (runs.length === sb.schools.length && runs.every((r) => r.finished_at !== null)) break;
          await new Promise((r) => setTimeout(r, 1000));
        }
        expect(runs.map((r) => r.status)).toEqual(sb.schools.map(() => 'succeeded'));
        // Both workers took part: each wrote scopes.
        const failed = await queues.queue('sync').getFailedCount();
        expect(failed).toBe(0);
      } finally {
        for (const w of workers) w.kill('SIGTERM');
        const results = await Promise.all(done);
        for (const r of results) expect(r.code, r.out).toBe(0);
        await queues.close();
        connection.disconnect();
      }

      // No scope applied twice to different effect: every record of a school has exactly one version.
      // (Grouped by school too: the sandbox gives both schools the same work-type ids.)
      const twice = await pgMirror.db.query(
        'SELECT entity, record_id, school_id FROM record_versions GROUP BY entity, record_id, school_id HAVING count(*) > 1 LIMIT 5',
      );
      expect(twice).toEqual([]);

      const embedded = await createTestMirror('sqlite');
      try {
        const cfg = sandboxConfig(sb);
        for (const school of sb.schools) {
          const run = await syncSandboxSchool(embedded.db, cfg, sb.clock, school.id);
          expect(run.status).toBe('succeeded');
          expect(withoutShared(await mirrorDigest(pgMirror.db, school.id))).toEqual(
            withoutShared(await mirrorDigest(embedded.db, school.id)),
          );
        }
        // Work types: the sandbox gives every school the same ids, and the mirror keys rows by
        // (source, id), so the last school synced owns them; compare the whole table's ids.
        const ids = async (m: TestMirror) =>
          (await m.db.query<{ id: string }>('SELECT id FROM work_types ORDER BY id')).map(
            (r) => r.id,
          );
        expect(await ids(pgMirror)).toEqual(await ids(embedded));
      } finally {
        await embedded.dispose();
      }
    },
  );

  it('`ezh schedule` run twice leaves one scheduler per job', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 2; i++) {
      const r = await exited(cli(configFile, ['schedule']));
      expect(r.code, r.out).toBe(0);
    }
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queues = new ServiceQueues(connection, configSchema.parse(rawConfig));
    try {
      const schedulers = await queues.queue('sync').getJobSchedulers(0, -1);
      const ids = schedulers.map((s) => s.key).sort();
      const expected = sb.schools
        .flatMap((s) => [`ezh-sync-incremental-${s.id}`, `ezh-sync-reconcile-${s.id}`])
        .sort();
      expect(ids).toEqual(expected);
      expect(
        schedulers.every((s) => s.tz === sb.schools.find((x) => s.key.endsWith(x.id))!.timeZone),
      ).toBe(true);
    } finally {
      await queues.close();
      connection.disconnect();
    }
  });
});
