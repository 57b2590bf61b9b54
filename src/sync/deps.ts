import type { Config, SchoolConfig } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { ScopeOutcome } from './scope-sync.js';
import type { PlannedScope } from './scope.js';

/** What the sync engine needs from its host (CLI, worker, demo, benchmark). */
export interface SyncDeps {
  db: SqlDb;
  /** The connector for a school (one token and rate limiter per school). */
  connectorFor(schoolId: string): Connector;
  clock: Clock;
  logger: Logger;
  config: Config;
  observer?: SyncObserver;
}

/** Progress of a run, for a progress bar or log lines. */
export interface SyncObserver {
  planned?(runId: string, scopes: readonly PlannedScope[]): void;
  scopeDone?(runId: string, outcome: ScopeOutcome): void;
  scopeFailed?(runId: string, scope: PlannedScope, error: unknown): void;
}

/**
 * The school's config entry; a school missing from config gets the defaults (no zone: that comes
 * from the platform, see mirror/school-context.ts).
 */
export function schoolConfig(config: Config, schoolId: string): SchoolConfig {
  return (
    config.schools.find((s) => s.id === schoolId) ?? {
      id: schoolId,
      finalMarkDeadlines: {},
      exemptions: [],
      consentedPersonIds: [],
    }
  );
}
