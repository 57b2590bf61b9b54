import { z } from 'zod';
import { alertsSection } from './sections/alerts.js';
import { archiveSection } from './sections/archive.js';
import { checksSection } from './sections/checks.js';
import { databaseSection } from './sections/database.js';
import { logSection } from './sections/logging.js';
import { CONNECTORS, DEFAULT_PLATFORM } from '../connectors/registry.js';
import { platformSection, type PlatformMember } from './sections/platform.js';
import { redisSection } from './sections/redis.js';
import { reportsSection } from './sections/reports.js';
import { schoolsSection } from './sections/schools.js';
import { syncSection } from './sections/sync.js';
import { jobsSection } from './sections/jobs.js';

/**
 * The whole configuration. Each area owns a file under `sections/`; this file only assembles them.
 * Every key has a default, so an empty file (or none) is a valid configuration for the demo.
 * The `platform` section is one member per registered connector; tests build it with more.
 */
export function buildConfigSchema<const M extends readonly PlatformMember[]>(registries: {
  /** The connectors `platform.kind` may name (each its settings, secrets and variables). */
  connectors: M;
  /** The platform of a config that names none. */
  defaultPlatform?: string;
}) {
  const { connectors, defaultPlatform = DEFAULT_PLATFORM } = registries;
  return z
    .object({
      database: databaseSection,
      platform: platformSection(connectors, defaultPlatform),
      schools: schoolsSection,
      redis: redisSection,
      log: logSection,
      archive: archiveSection,
      alerts: alertsSection,
      reports: reportsSection,
      sync: syncSection,
      jobs: jobsSection,
      checks: checksSection,
      /** Where documents and findings are written by default. */
      outDir: z.string().min(1).default('./out'),
    })
    .strict();
}

export const configSchema = buildConfigSchema({ connectors: CONNECTORS });

export type Config = z.infer<typeof configSchema>;
export type SchoolConfig = Config['schools'][number];
