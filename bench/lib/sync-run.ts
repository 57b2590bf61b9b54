import { configSchema, type Config } from '../../src/config/schema.js';
import { createDnevnikConnector } from '../../src/connectors/dnevnik/dnevnik.connector.js';
import type { SqlDb } from '../../src/mirror/sql.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import type { SyncSummary } from '../../src/sync/engine.js';
import { syncSchool } from '../../src/jobs/sync-school.js';
import type { SandboxProcess } from './sandbox-process.js';

/**
 * Benchmark settings: the sandbox has no rate limit, and the connector's limiter is set far above
 * what the machine can serve, so the figures measure ezh and not an artificial limiter.
 */
export const BENCH_RPS = 1000;
export const BENCH_CONCURRENCY = 8;

export function benchConfig(sb: Pick<SandboxProcess, 'url' | 'schools'>): Config {
  return configSchema.parse({
    platform: { baseUrl: sb.url, requestsPerSecond: 100, concurrency: BENCH_CONCURRENCY },
    schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
    jobs: { backoffMs: 50, afterSync: [], concurrency: { sync: 4 } },
    log: { level: 'silent' },
  });
}

/** One embedded sync of a sandbox school through the real connector over HTTP. */
export async function benchSync(
  db: SqlDb,
  sb: SandboxProcess,
  schoolId: string,
  config: Config = benchConfig(sb),
): Promise<SyncSummary> {
  const school = sb.schools.find((s) => s.id === schoolId)!;
  // The connector itself, not the registry: the configured rate is capped at 100/s (a school's
  // setting), and the bench's limiter must stay out of the way (see BENCH_RPS).
  const connector = createDnevnikConnector({
    baseUrl: sb.url,
    token: school.token,
    requestsPerSecond: BENCH_RPS,
    concurrency: BENCH_CONCURRENCY,
    timeoutMs: 30_000,
    maxRetries: 5,
  });
  try {
    return await syncSchool(
      {
        db,
        connector,
        clock: new ManualClock(sb.now),
        logger: createLogger({ level: 'silent' }),
        config,
      },
      { schoolId },
    );
  } finally {
    await connector.close();
  }
}
