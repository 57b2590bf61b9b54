import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { configSchema, type Config } from '../../src/config/schema.js';
import { jobSpec } from '../../src/jobs/job-names.js';
import { ServiceQueues } from '../../src/jobs/service-queues.js';
import type { SqlExecutor } from '../../src/mirror/sql.js';
import type { SandboxSchoolInfo } from '../../src/sandbox/index.js';
import { TEST_PG_URL } from './mirrors.js';
import { TEST_REDIS_URL } from './redis.js';

/**
 * Service mode on one machine, for the scale test and bench/scale: a config file for a sandbox,
 * a PostgreSQL schema and a Redis prefix; `ezh worker` child processes; the schools' sync jobs
 * queued; waiting for their runs to finish.
 */

const OFF = { enabled: false };
const REPO = join(import.meta.dirname, '..', '..');

export interface ClusterOptions {
  dir: string;
  url: string;
  schools: Pick<SandboxSchoolInfo, 'id' | 'token' | 'timeZone'>[];
  schema: string;
  prefix: string;
  /** Short locks let a surviving worker take over a killed worker's jobs within seconds. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  syncConcurrency?: number;
}

export interface Cluster {
  configFile: string;
  config: Config;
}

export function clusterConfig(o: ClusterOptions): Cluster {
  const raw = {
    database: { type: 'postgres', url: TEST_PG_URL, schema: o.schema },
    platform: {
      baseUrl: o.url,
      requestsPerSecond: 100,
      concurrency: 8,
      timeoutMs: 10_000,
      maxRetries: 10,
    },
    schools: o.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
    redis: { url: TEST_REDIS_URL, prefix: o.prefix },
    log: { level: 'warn', format: 'json' },
    jobs: {
      backoffMs: 200,
      afterSync: [],
      concurrency: { sync: o.syncConcurrency ?? 2 },
      lockDurationMs: o.lockDurationMs ?? 120_000,
      stalledIntervalMs: o.stalledIntervalMs ?? 30_000,
      schedules: { auditReport: OFF, archive: OFF, archivePeriodEnd: OFF },
    },
    alerts: { enabled: false },
  };
  const configFile = join(o.dir, `ezh-${o.prefix}.yaml`);
  writeFileSync(configFile, JSON.stringify(raw));
  return { configFile, config: configSchema.parse(raw) };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and everything it printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

export function startWorker(configFile: string): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), '--config', configFile, 'worker'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, exited };
}

/** Queues for the cluster's Redis prefix (close with `closeQueues`). */
export function clusterQueues(config: Config): ServiceQueues {
  return new ServiceQueues(new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }), config);
}

export async function closeQueues(queues: ServiceQueues): Promise<void> {
  await queues.close();
  queues.connection.disconnect();
}

/** One full-school sync job per school, with run ids of its own. */
export async function queueSchoolSyncs(
  queues: ServiceQueues,
  schoolIds: readonly string[],
): Promise<void> {
  for (const schoolId of schoolIds) {
    await queues.add(
      jobSpec(
        'sync.school',
        { schoolId, request: { mode: 'incremental' }, runId: `run-scale-${schoolId}` },
        `scale-${schoolId}`,
      ),
    );
  }
}

export interface RunState {
  id: string;
  school_id: string;
  status: string;
  finished_at: number | null;
  scopes_done: number;
  scopes_total: number;
}

/** Polls `sync_runs` until `count` runs have finished (or the deadline passes). */
export async function waitForRuns(
  db: SqlExecutor,
  count: number,
  timeoutMs: number,
): Promise<RunState[]> {
  const deadline = Date.now() + timeoutMs;
  let runs: RunState[] = [];
  while (Date.now() < deadline) {
    runs = await db.query<RunState & Record<string, unknown>>(
      'SELECT id, school_id, status, finished_at, scopes_done, scopes_total FROM sync_runs ORDER BY school_id',
    );
    if (runs.length === count && runs.every((r) => r.finished_at !== null)) return runs;
    await new Promise((r) => setTimeout(r, 500));
  }
  return runs;
}
