import { RULES } from '../checks/registry.js';
import { loadConfig, type LoadedConfig, type LoadOptions } from '../config/load.js';
import { buildConfigSchema } from '../config/schema.js';
import { CONNECTORS, DEFAULT_PLATFORM } from '../connectors/registry.js';

/**
 * The configuration as the doors load it: validated against the registries built at start-up
 * (the rules: `checks.rules.<id>` with each rule's parameters and defaults, `alerts.audiences`'
 * keys; the connectors: `platform`). The config is the base layer and cannot import the checks; the composition root can.
 */
export const appConfigSchema = buildConfigSchema({
  rules: [...RULES.values()],
  connectors: CONNECTORS,
});

/**
 * The one way a door loads its configuration: the rules' and connectors' schema, the platform's
 * environment variables (`EZH_DNEVNIK_TOKEN` …) applied, its secrets redacted.
 */
export function loadAppConfig(
  options: Omit<LoadOptions, 'schema' | 'connectors' | 'defaultPlatform'> = {},
): LoadedConfig {
  return loadConfig({
    ...options,
    schema: appConfigSchema,
    connectors: CONNECTORS,
    defaultPlatform: DEFAULT_PLATFORM,
  });
}
