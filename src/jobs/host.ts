import type { Config } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import { connectorForSchool } from '../connectors/registry.js';
import { schoolConfig } from '../sync/deps.js';
import type { AppContext } from '../app/context.js';
import { JOBS, SYNC_JOBS } from './definitions/index.js';
import { JobRegistry } from './registry.js';

/**
 * What a process hosting jobs shares: one connector per school (its token, host and rate
 * limiter), created on first use, and the job registry.
 */
export class ConnectorCache {
  private readonly connectors = new Map<string, Connector>();
  constructor(private readonly config: Config) {}

  connectorFor(schoolId: string): Connector {
    let c = this.connectors.get(schoolId);
    if (!c) {
      const known = this.config.schools.find((s) => s.id === schoolId) ?? null;
      c = connectorForSchool(this.config, known ?? schoolConfig(this.config, schoolId));
      this.connectors.set(schoolId, c);
    }
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.connectors.values()) await c.close();
    this.connectors.clear();
  }
}

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
