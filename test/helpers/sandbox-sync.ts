import { configSchema, type Config } from '../../src/config/schema.js';
import { connectorForSchool } from '../../src/connectors/registry.js';
import type { Clock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import type { SandboxServer } from '../../src/sandbox/index.js';
import type { SyncOptions } from '../../src/sync/request.js';
import { syncSchool } from '../../src/jobs/sync-school.js';
import type { SyncSummary } from '../../src/sync/engine.js';
import type { SqlDb } from '../../src/mirror/sql.js';

/** Config that points ezh at a running sandbox: its URL, schools, tokens and zones. */
export function sandboxConfig(
  sb: Pick<SandboxServer, 'url' | 'schools'>,
  extra: Record<string, unknown> = {},
): Config {
  return configSchema.parse({
    platform: {
      baseUrl: sb.url,
      requestsPerSecond: 100,
      concurrency: 8,
      timeoutMs: 10_000,
      maxRetries: 10,
    },
    schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
    jobs: { backoffMs: 50, afterSync: [] },
    ...extra,
  });
}

/** One embedded sync of a sandbox school, on the sandbox's clock. */
export async function syncSandboxSchool(
  db: SqlDb,
  config: Config,
  clock: Clock,
  schoolId: string,
  options: SyncOptions = {},
): Promise<SyncSummary> {
  const school = config.schools.find((s) => s.id === schoolId)!;
  const connector = connectorForSchool(config, school);
  try {
    return await syncSchool(
      { db, connector, clock, logger: createLogger({ level: 'silent' }), config },
      { schoolId, ...options },
    );
  } finally {
    await connector.close();
  }
}
