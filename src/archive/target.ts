import { databaseSection } from '../config/sections/database.js';
import type { DatabaseConfig } from '../mirror/data-source.js';
import { UsageError } from '../platform/errors.js';

/**
 * A database named on the command line (`--into`, `--a`, `--b`): a `postgres://` URL (with a
 * schema given separately) or a SQLite file path.
 */
export function parseDatabaseTarget(spec: string, schema?: string): DatabaseConfig {
  const isPg = /^postgres(ql)?:\/\//.test(spec);
  const parsed = databaseSection.safeParse(
    isPg
      ? { type: 'postgres', url: spec, schema: schema ?? 'public' }
      : { type: 'sqlite', path: spec },
  );
  if (!parsed.success) {
    throw new UsageError(
      `invalid database "${isPg ? 'postgres://…' : spec}"`,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}
