import type { AppContext } from '../app/context.js';
import { systemClock } from '../platform/clock.js';
import { loadSchoolContexts } from '../mirror/school-context.js';
import { embeddedSchedulerFor } from './embedded-scheduler.js';
import { ConnectorCache, jobRegistry } from './host.js';
import { desiredSchedules } from './schedules.js';
import { validateJobs } from './service.js';

/** Interval between the embedded scheduler's looks at the clock. */
export const EMBEDDED_TICK_MS = 30_000;

export interface EmbeddedHost {
  /** The schedules it fires, by id. */
  schedules: string[];
  /** Stops firing, finishes the job running now, closes the connectors. */
  stop(): Promise<void>;
}

/**
 * Embedded mode's scheduler in this process (`ezh worker --embedded`, `ezh serve` in embedded
 * mode): the config's schedules (the same as `ezh schedule` installs on Redis), each school's in
 * its zone (the config's, else the platform's after a sync); an unknown zone throws before
 * anything runs.
 */
export async function startEmbeddedHost(app: AppContext): Promise<EmbeddedHost> {
  const controller = new AbortController();
  const registry = jobRegistry(app);
  validateJobs(app.config, registry);
  const mirror = await app.mirror();
  const connectors = new ConnectorCache(app.config);
  const schools = await loadSchoolContexts(mirror.db, app.config);
  const zoneOf = (id: string) => schools.get(id).zone;
  for (const s of app.config.schools) zoneOf(s.id);
  const scheduler = embeddedSchedulerFor({
    zoneOf,
    config: app.config,
    db: mirror.db,
    clock: systemClock,
    logger: app.logger,
    registry,
    connectors,
    signal: controller.signal,
  });
  scheduler.start(EMBEDDED_TICK_MS);
  return {
    schedules: desiredSchedules(app.config, zoneOf).map((s) => s.id),
    stop: async () => {
      controller.abort();
      await scheduler.stop();
      await connectors.close();
    },
  };
}
