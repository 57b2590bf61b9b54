import type { Config } from '../config/schema.js';
import type { Connector } from '../connectors/connector.js';
import { connectorForSchool } from '../connectors/registry.js';
import { schoolConfig } from '../sync/deps.js';
import type { AppContext } from '../app/context.js';
import { registerAppHandlers } from './handlers/app-handlers.js';
import { registerSyncHandlers } from './handlers/sync.js';
import { handlers, type HandlerRegistry } from './registry.js';

/**
 * What a process hosting jobs shares: one connector per school (its token, host and rate
 * limiter), created on first use, and the handler registry with the sync handlers in it.
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
 * The process registry with this build's sync handlers and, given the app (its config, logger
 * and mirror), the checks, alerts, documents and archive handlers.
 */
export function jobRegistry(app?: AppContext): HandlerRegistry {
  if (!handlers.has('sync.school')) registerSyncHandlers(handlers);
  if (app && !handlers.has('checks.run')) registerAppHandlers(handlers, app);
  return handlers;
}
