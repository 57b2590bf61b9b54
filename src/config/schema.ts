import { z } from 'zod';
import { alertsSection } from './sections/alerts.js';
import { archiveSection } from './sections/archive.js';
import { checksSection, type RuleSettings } from './sections/checks.js';
import { databaseSection } from './sections/database.js';
import { logSection } from './sections/logging.js';
import { platformSection } from './sections/platform.js';
import { redisSection } from './sections/redis.js';
import { reportsSection } from './sections/reports.js';
import { schoolsSection } from './sections/schools.js';
import { syncSection } from './sections/sync.js';
import { jobsSection } from './sections/jobs.js';

/** What the configuration validates against that lives above it: the checks' rules. */
export interface ConfigRegistries {
  readonly rules: readonly RuleSettings[];
}

/**
 * The whole configuration. Each area owns a file under `sections/`; this file only assembles them.
 * Every key has a default, so an empty file (or none) is a valid configuration for the demo. The
 * registries (rule ids and parameters) are handed in by the composition root: `appConfigSchema` in
 * src/app/config.ts is the schema every door loads.
 */
export const buildConfigSchema = (registries: ConfigRegistries) =>
  z
    .object({
      database: databaseSection,
      platform: platformSection,
      schools: schoolsSection,
      redis: redisSection,
      log: logSection,
      archive: archiveSection,
      alerts: alertsSection(registries.rules.map((rule) => rule.id)),
      reports: reportsSection,
      sync: syncSection,
      jobs: jobsSection,
      checks: checksSection(registries.rules),
      /** Where documents and findings are written by default. */
      outDir: z.string().min(1).default('./out'),
    })
    .strict();

/**
 * The configuration without rules (`checks.rules` and `alerts.audiences` take no key): for tests
 * and tools that read no rule settings. Doors load `appConfigSchema` (src/app/config.ts).
 */
export const configSchema = buildConfigSchema({ rules: [] });
export type ConfigSchema = typeof configSchema;

export type Config = z.infer<typeof configSchema>;
export type SchoolConfig = Config['schools'][number];
