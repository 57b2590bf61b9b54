import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import { connectorForSchool } from '../../src/connectors/registry.js';
import { openMirror } from '../../src/mirror/data-source.js';
import type { SqlExecutor } from '../../src/mirror/sql.js';
import type { SandboxServer } from '../../src/sandbox/index.js';
import { verifyMirror, type MirrorComparison } from '../../src/sync/verify-mirror.js';
import { sandboxConfig } from '../helpers/sandbox-sync.js';

/** What the fault files share: the CLI's config for a sandbox school, and asking the platform. */

/**
 * An `ezh.yaml` for the CLI on a sandbox and a SQLite mirror. ~40 requests per second: a sync
 * takes some seconds, long enough to be killed or raced mid-way.
 */
export function writeCliConfig(
  sb: SandboxServer,
  dir: string,
  dbPath: string,
  extra: Record<string, unknown> = {},
): string {
  const file = join(dir, 'ezh.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      database: { type: 'sqlite', path: dbPath },
      platform: { baseUrl: sb.url, requestsPerSecond: 40, concurrency: 4, timeoutMs: 10_000 },
      schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
      jobs: { afterSync: [] },
      ...extra,
    }),
  );
  return file;
}

/** `ezh verify-mirror`'s comparison of a SQLite mirror with the sandbox's first school. */
export async function verifySandboxMirror(
  sb: SandboxServer,
  dbPath: string,
  config: Config = sandboxConfig(sb),
): Promise<MirrorComparison> {
  const connector = connectorForSchool(config, config.schools[0]!);
  const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
  try {
    return await verifyMirror(
      { db: mirror.db, connector, config, clock: sb.clock },
      sb.schools[0]!.id,
    );
  } finally {
    await connector.close();
    await mirror.close();
  }
}

/** Streams with a missing, extra or different row (empty: the mirror equals the platform). */
export function unequalStreams(c: MirrorComparison): MirrorComparison['streams'] {
  return c.streams.filter((s) => s.missing.length + s.extra.length + s.different.length > 0);
}

/**
 * Records with more than one version. The platform does not change during a fault test, so every
 * record must have exactly one: a second one is a version written twice.
 */
export async function doubledVersions(db: SqlExecutor): Promise<unknown[]> {
  return db.query(
    'SELECT entity, record_id, count(*) AS n FROM record_versions GROUP BY entity, record_id HAVING count(*) > 1 LIMIT 5',
  );
}
