import type { Config, SchoolConfig } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import type { Connector, ConnectorSettings } from './connector.js';
import type { RateLimiterRegistry } from './_shared/rate-limiter.js';
import type { Timing } from './_shared/timing.js';
import type { TokenProvider } from './_shared/token-provider.js';
import { createDnevnikConnector } from './dnevnik/dnevnik.connector.js';
import { dnevnikTokenProvider } from './dnevnik/token-from-config.js';

/**
 * Connectors by platform key. A second platform registers here; the sync engine asks only for a
 * key (`platform.kind` in the config) and the settings.
 */
export interface ConnectorOptions {
  /** Overrides the settings' static token (e.g. an OAuth provider that refreshes). */
  tokens?: TokenProvider | null;
  timing?: Timing;
  limiters?: RateLimiterRegistry;
}

interface RegisteredConnector {
  create(settings: ConnectorSettings, options?: ConnectorOptions): Connector;
  /** The token source the config describes for a school (static or refreshing). */
  tokensFromConfig(
    platform: Config['platform'],
    school: SchoolConfig | null,
    settings: ConnectorSettings,
  ): TokenProvider | null;
}

const CONNECTORS: Record<string, RegisteredConnector> = {
  dnevnik: {
    create: (settings, options) => createDnevnikConnector(settings, options),
    tokensFromConfig: dnevnikTokenProvider,
  },
};

export const PLATFORM_KINDS = Object.keys(CONNECTORS);

function registered(kind: string): RegisteredConnector {
  const entry = Object.hasOwn(CONNECTORS, kind) ? CONNECTORS[kind] : undefined;
  if (!entry) {
    throw new UsageError(`unknown platform "${kind}"`, [
      `platform.kind: "${kind}" is not a known platform (known: ${PLATFORM_KINDS.join(', ')})`,
    ]);
  }
  return entry;
}

export function createConnector(
  kind: string,
  settings: ConnectorSettings,
  options?: ConnectorOptions,
): Connector {
  return registered(kind).create(settings, options);
}

/** Connection settings of one school: its own host and token when it has them, else the platform's. */
export function connectorSettingsFromConfig(
  platform: Config['platform'],
  school: SchoolConfig | null = null,
): ConnectorSettings {
  return {
    baseUrl: school?.baseUrl ?? platform.baseUrl,
    token: school?.token ?? platform.token ?? null,
    requestsPerSecond: platform.requestsPerSecond,
    concurrency: platform.concurrency,
    timeoutMs: platform.timeoutMs,
    maxRetries: platform.maxRetries,
    entryTimeZone: platform.entryTimeZone,
  };
}

/** The connector of one configured school, with the token source its config describes. */
export function connectorForSchool(
  config: Config,
  school: SchoolConfig | null,
  options: ConnectorOptions = {},
): Connector {
  const entry = registered(config.platform.kind);
  const settings = connectorSettingsFromConfig(config.platform, school);
  const tokens =
    options.tokens !== undefined
      ? options.tokens
      : entry.tokensFromConfig(config.platform, school, settings);
  return entry.create(settings, { ...options, tokens });
}
