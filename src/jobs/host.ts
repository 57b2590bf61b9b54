import type { AppContext } from '../app/context.js';
import { JOBS, SYNC_JOBS } from './definitions/index.js';
import { JobRegistry } from './registry.js';

export { ConnectorCache } from '../app/connectors.js';

/**
 * The registry of every job of this build, built at start-up. Given the app (its config, logger
 * and mirror), the checks, alerts, documents and archive jobs run too; without it, the sync jobs.
 */
export function jobRegistry(app?: AppContext): JobRegistry {
  return new JobRegistry(JOBS, app ?? null);
}

/** The sync jobs only: what an embedded `ezh sync` runs. */
export function syncJobRegistry(): JobRegistry {
  return new JobRegistry(SYNC_JOBS);
}
