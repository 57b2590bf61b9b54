import type { Config } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import { connectorForSchool, type ConnectorOptions } from '../connectors/registry.js';
import { schoolConfig } from '../sync/deps.js';

/**
 * One connector per school (its token, host and rate limiter), created on first use: what a
 * process hosting jobs shares, and what the sync service opens for one command.
 */
export class ConnectorCache {
  private readonly connectors = new Map<string, Connector>();
  constructor(
    private readonly config: Config,
    /** E.g. service mode's per-token limiters shared through Redis (default: this process's). */
    private readonly options: ConnectorOptions = {},
  ) {}

  connectorFor(schoolId: string): Connector {
    let c = this.connectors.get(schoolId);
    if (!c) {
      const known = this.config.schools.find((s) => s.id === schoolId) ?? null;
      c = connectorForSchool(
        this.config,
        known ?? schoolConfig(this.config, schoolId),
        this.options,
      );
      this.connectors.set(schoolId, c);
    }
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.connectors.values()) await c.close();
    this.connectors.clear();
  }
}
