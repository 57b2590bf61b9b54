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
  /** Serve GET /metrics, /health and /ready on this port (default: no endpoint). */
  metricsPort?: number;
  /** Install the sync schedules (with patterns that never fire during a test); default none. */
  schedules?: boolean;
  /** Attempts per job (default: the config's default). */
  attempts?: number;
  /** Another Redis URL (e.g. a port where nothing listens). */
  redisUrl?: string;
  /** How often workers check that Redis still holds ezh's state. */
  redisCheckIntervalMs?: number;
  /** The per-token rate ezh keeps (default 100: the sandbox enforces none unless told). */
  requestsPerSecond?: number;
  /** Retries of one platform call (default 10). */
  maxRetries?: number;
  /** How long a token refused "too many requests" pauses (default: the config's). */
  rateLimitPauseMs?: number;
}

/** A cron pattern that never fires while a test runs (03:00 on the 1st of January). */
export const NEVER_DURING_TESTS = { pattern: '0 3 1 1 *', enabled: true };

export interface Cluster {
  configFile: string;
  config: Config;
}

export function clusterConfig(o: ClusterOptions): Cluster {
  const raw = {
    database: { type: 'postgres', url: TEST_PG_URL, schema: o.schema },
    platform: {
      baseUrl: o.url,
      requestsPerSecond: o.requestsPerSecond ?? 100,
      concurrency: 8,
      timeoutMs: 10_000,
      maxRetries: o.maxRetries ?? 10,
    },
    schools: o.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
    redis: { url: o.redisUrl ?? TEST_REDIS_URL, prefix: o.prefix },
    log: { level: 'warn', format: 'json' },
    jobs: {
      backoffMs: 200,
      afterSync: [],
      concurrency: { sync: o.syncConcurrency ?? 2 },
      lockDurationMs: o.lockDurationMs ?? 120_000,
      stalledIntervalMs: o.stalledIntervalMs ?? 30_000,
      ...(o.attempts ? { attempts: o.attempts } : {}),
      ...(o.rateLimitPauseMs ? { rateLimitPauseMs: o.rateLimitPauseMs } : {}),
      ...(o.redisCheckIntervalMs ? { redisCheckIntervalMs: o.redisCheckIntervalMs } : {}),
      ...(o.metricsPort === undefined
        ? {}
        : { metrics: { enabled: true, port: o.metricsPort, host: '127.0.0.1' } }),
      // Workers install the schedules themselves: by default none, so no scheduled sync starts
      // while a test counts runs.
      schedules: {
        incrementalSync: o.schedules ? NEVER_DURING_TESTS : OFF,
        reconcileSync: o.schedules ? NEVER_DURING_TESTS : OFF,
        auditReport: OFF,
        archive: OFF,
        archivePeriodEnd: OFF,
      },
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

export function startWorker(configFile: string, args: readonly string[] = []): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), '--config', configFile, 'worker', ...args],
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

/** The worker's exit within `ms`, or null if it is still running then. */
export async function exitWithin(
  worker: WorkerProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string } | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([worker.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or throws after `ms`. */
export async function waitFor<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined | false>,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
