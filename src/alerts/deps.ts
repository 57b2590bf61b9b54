import type { Config } from '../config/schema.js';
import { loadSchoolContext } from '../mirror/school-context.js';
import type { SqlDb } from '../mirror/sql.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { AlertChannel } from './channels/channel.js';
import type { Sleep } from './retry.js';

/** What the alert handlers need; the CLI, the jobs engine and tests each build one. */
export interface AlertDeps {
  db: SqlDb;
  config: Pick<Config, 'alerts' | 'schools'>;
  logger: Logger;
  /** "Now" when no as-of is given; the sandbox clock in the demo. */
  clock?: Clock;
  /** Channels to use instead of those `alerts.channels` names (the demo's file channel, tests). */
  channels?: AlertChannel[];
  /** Waits between retries (tests shorten them through `alerts.retry` instead). */
  sleep?: Sleep;
}

/**
 * The school's zone, from its SchoolContext (the config's, else the platform's; unknown: exit 2
 * saying how to give one). Letters date documents and deadlines in it.
 */
export async function schoolZone(
  deps: Pick<AlertDeps, 'db' | 'config'>,
  schoolId: string,
): Promise<string> {
  return (await loadSchoolContext(deps.db, deps.config, schoolId)).zone;
}
