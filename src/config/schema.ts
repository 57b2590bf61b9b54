import { z } from 'zod';
import { alertsSection } from './sections/alerts.js';
import { archiveSection } from './sections/archive.js';
import { checksSection, type RuleSettings } from './sections/checks.js';
import { databaseSection } from './sections/database.js';
import { logSection } from './sections/logging.js';
import {
  anyPlatformSection,
  DEFAULT_PLATFORM_KIND,
  platformSection,
  type PlatformMember,
  type PlatformSettings,
} from './sections/platform.js';
import { redisSection } from './sections/redis.js';
import { reportsSection } from './sections/reports.js';
import { schoolsSection } from './sections/schools.js';
import { syncSection } from './sections/sync.js';
import { jobsSection } from './sections/jobs.js';
import { webSection } from './sections/web.js';

/**
 * What the configuration validates against that lives above it: the checks' rules and the
 * connectors (each its own `platform` member). The composition root hands them in:
 * `appConfigSchema` in src/app/config.ts is the schema every door loads.
 */
export interface ConfigRegistries {
  readonly rules: readonly RuleSettings[];
  /**
   * The connectors `platform.kind` may name (each its settings, secrets and variables); none:
   * any kind, its settings left for the connector to check.
   */
  readonly connectors?: readonly PlatformMember[];
  /** The platform of a config that names none. */
  readonly defaultPlatform?: string;
}

/**
 * The whole configuration. Each area owns a file under `sections/`; this file only assembles them.
 * Every key has a default, so an empty file (or none) is a valid configuration for the demo.
 * The `platform` section is one member per registered connector; tests build it with more.
 */
export function buildConfigSchema(registries: ConfigRegistries) {
  const { connectors, defaultPlatform = DEFAULT_PLATFORM_KIND } = registries;
  const platform: z.ZodType<PlatformSettings, unknown> = connectors
    ? platformSection(connectors, defaultPlatform)
    : anyPlatformSection(defaultPlatform);
  return z
    .object({
      database: databaseSection,
      platform,
      schools: schoolsSection,
      redis: redisSection,
      log: logSection,
      archive: archiveSection,
      alerts: alertsSection(registries.rules.map((rule) => rule.id)),
      reports: reportsSection,
      sync: syncSection,
      jobs: jobsSection,
      web: webSection,
      checks: checksSection(registries.rules),
      /** Where documents and findings are written by default. */
      outDir: z.string().min(1).default('./out'),
    })
    .strict();
}

/**
 * The configuration without rules (`checks.rules` and `alerts.audiences` take no key, `platform` is
 * any connector's): for tests
 * and tools that read no rule or platform settings. Doors load `appConfigSchema` (src/app/config.ts).
 */
export const configSchema = buildConfigSchema({ rules: [] });
export type ConfigSchema = typeof configSchema;

export type Config = z.infer<typeof configSchema>;
export type SchoolConfig = Config['schools'][number];
