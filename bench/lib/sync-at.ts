import { createDnevnikConnector } from '../../src/connectors/dnevnik/dnevnik.connector.js';
import type { AttendanceCalls } from '../../src/connectors/dnevnik/resources/window-state.js';
import type { SqlDb } from '../../src/mirror/sql.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { syncSchool } from '../../src/jobs/sync-school.js';
import type { SyncSummary } from '../../src/sync/engine.js';
import type { SyncOptions } from '../../src/sync/request.js';
import type { SandboxProcess } from './sandbox-process.js';
import { BENCH_CONCURRENCY, BENCH_RPS, benchConfig } from './sync-run.js';

export interface TimedSync {
  summary: SyncSummary;
  ms: number;
  /** Requests the sandbox served during the run. */
  requests: number;
}

/**
 * One embedded sync of a sandbox school at a given moment of ezh's clock (the sandbox's own clock
 * is moved by the caller), with the sync options asked for; `attendanceCalls: 'per-subject'`
 * builds the connector as it was before issue 24, for baselines.
 */
export async function syncAt(
  db: SqlDb,
  sb: SandboxProcess,
  schoolId: string,
  at: number,
  options: Omit<SyncOptions, 'schoolId'> = {},
  attendanceCalls: AttendanceCalls = 'by-lessons',
  requestsPerSecond = BENCH_RPS,
): Promise<TimedSync> {
  const school = sb.schools.find((s) => s.id === schoolId)!;
  const connector = createDnevnikConnector(
    {
      baseUrl: sb.url,
      token: school.token,
      requestsPerSecond,
      concurrency: BENCH_CONCURRENCY,
      timeoutMs: 30_000,
      maxRetries: 5,
    },
    { attendanceCalls },
  );
  const before = await sb.requestCount();
  const started = performance.now();
  try {
    const summary = await syncSchool(
      {
        db,
        connector,
        clock: new ManualClock(at),
        logger: createLogger({ level: 'silent' }),
        config: benchConfig(sb),
      },
      { ...options, schoolId },
    );
    const ms = performance.now() - started;
    if (summary.status !== 'succeeded') {
      throw new Error(`sync ${summary.status}: ${summary.error}`);
    }
    return { summary, ms, requests: (await sb.requestCount()) - before };
  } finally {
    await connector.close();
  }
}
