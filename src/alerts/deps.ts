import type { Config } from '../config/schema.js';
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

export const DEFAULT_ZONE = 'Europe/Moscow';

/** The school's zone: config first (it overrides the platform), then the platform's, then Moscow. */
export function schoolZone(
  config: AlertDeps['config'],
  schoolId: string,
  platformZone: string | null,
): string {
  return config.schools.find((s) => s.id === schoolId)?.timeZone ?? platformZone ?? DEFAULT_ZONE;
}
