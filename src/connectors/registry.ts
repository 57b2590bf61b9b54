import type { Config, SchoolConfig } from '../config/schema.js';
import type { PlatformSettings } from '../config/sections/platform.js';
import { UsageError } from '../platform/errors.js';
import type { Connector } from './connector.js';
import type { ConnectorDefinition, ConnectorDeps } from './define-connector.js';
import { dnevnik } from './dnevnik/definition.js';

/**
 * Every connector, one line each (`define-connector.ts`). The config's `platform` section is built
 * from this list (a union on `platform.kind`); the sync engine asks only for the configured kind.
 */
export const CONNECTORS = [
  dnevnik, // Dnevnik.ru and its white-label hosts
] as const;

/** The platform of a config that names none (every config written before a second connector). */
export const DEFAULT_PLATFORM = 'dnevnik';

export const PLATFORM_KINDS: readonly string[] = CONNECTORS.map((c) => c.kind);

/** What the sync engine and tests may inject besides the config (the school comes separately). */
export type ConnectorOptions = Omit<ConnectorDeps, 'school'>;

/** The connector unit of `kind`; an unknown kind is bad configuration (exit 2). */
export function connectorDefinition(
  kind: string,
  connectors: readonly ConnectorDefinition[] = CONNECTORS as unknown as ConnectorDefinition[],
): ConnectorDefinition {
  const entry = connectors.find((c) => c.kind === kind);
  if (!entry) {
    const known = connectors.map((c) => c.kind).join(', ');
    throw new UsageError(`unknown platform "${kind}"`, [
      `platform.kind: "${kind}" is not a known platform (known: ${known})`,
    ]);
  }
  return entry;
}

/** A connector of `kind` from settings written by hand (checked and completed by its schema). */
export function createConnector(
  kind: string,
  settings: unknown,
  deps: ConnectorDeps = {},
): Connector {
  const definition = connectorDefinition(kind);
  return definition.create(definition.parseSettings(settings), deps);
}

/**
 * The configured platform's connector unit and its settings, checked by the connector's own schema
 * (the config knows only `kind`: src/config/sections/platform.ts). Idempotent on settings the
 * doors' schema already parsed; completes the defaults of a section written by hand (tests).
 */
export function configuredPlatform(platform: PlatformSettings): {
  definition: ConnectorDefinition;
  settings: Record<string, unknown>;
} {
  const { kind, ...rest } = platform;
  const definition = connectorDefinition(kind);
  return { definition, settings: definition.parseSettings(rest) };
}

/** The connector of one configured school, with the token source its config describes. */
export function connectorForSchool(
  config: Config,
  school: SchoolConfig | null,
  options: ConnectorOptions = {},
): Connector {
  const { definition, settings } = configuredPlatform(config.platform);
  return definition.create(settings, { ...options, school });
}
