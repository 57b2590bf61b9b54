import type { Config } from '../config/schema.js';

/** Job names the jobs engine registers the alert handlers under. */
export const ALERTS_SEND_JOB = 'alerts.send';
export const ALERTS_DOCUMENT_JOB = 'alerts.document';

export interface AlertSchedule {
  /** Stable scheduler id: re-installing it is idempotent. */
  id: string;
  job: typeof ALERTS_SEND_JOB | typeof ALERTS_DOCUMENT_JOB;
  /** 5-field cron pattern, read in `tz`. */
  pattern: string;
  tz: string;
  /** Job payload: `{ schoolId }` for digests (handler: `sendAlerts(deps, { schoolId, asOf: now })`),
   * `{ schoolId, document }` for subscriptions. */
  data: { schoolId: string; document?: string };
}

/**
 * The alert schedules for the jobs engine: the digest per school at `alerts.schedule` in the
 * school's own zone, and every subscription with a schedule. Empty when alerts are disabled.
 */
export function alertSchedules(
  config: Pick<Config, 'alerts' | 'schools'>,
  /** The school's zone (its SchoolContext's). */
  zoneOf: (schoolId: string) => string,
): AlertSchedule[] {
  if (!config.alerts.enabled) return [];
  const out: AlertSchedule[] = [];
  for (const school of config.schools) {
    out.push({
      id: `${ALERTS_SEND_JOB}:${school.id}`,
      job: ALERTS_SEND_JOB,
      pattern: config.alerts.schedule,
      tz: zoneOf(school.id),
      data: { schoolId: school.id },
    });
    for (const sub of config.alerts.subscriptions) {
      if (!sub.schedule || (sub.schoolId && sub.schoolId !== school.id)) continue;
      const id = `${ALERTS_DOCUMENT_JOB}:${school.id}:${sub.document}:${sub.schedule}`;
      if (out.some((s) => s.id === id)) continue;
      out.push({
        id,
        job: ALERTS_DOCUMENT_JOB,
        pattern: sub.schedule,
        tz: zoneOf(school.id),
        data: { schoolId: school.id, document: sub.document },
      });
    }
  }
  return out;
}
