import type { Config } from '../config/schema.js';
import { JOB_QUEUE, jobSpec, type JobName, type JobSpec } from './job-names.js';
import type { ServiceQueues } from './service-queues.js';

/**
 * The job schedulers service mode installs from config: per school, in the school's time zone,
 * with stable ids, so `ezh schedule` can run any number of times and leaves one scheduler per
 * job. Disabled schedules and schools no longer in the config lose theirs.
 */
export interface ScheduleSpec {
  id: string;
  pattern: string;
  tz: string;
  job: JobSpec;
}

/** A school's zone (its SchoolContext's); throws for a school whose zone is unknown. */
export type ZoneOf = (schoolId: string) => string;

/**
 * Every enabled schedule of the config, in each school's zone (`zoneOf`: its SchoolContext's).
 * The job id is a placeholder: BullMQ names each occurrence.
 */
export function desiredSchedules(config: Config, zoneOf: ZoneOf): ScheduleSpec[] {
  const s = config.jobs.schedules;
  const out: ScheduleSpec[] = [];
  for (const school of config.schools) {
    const tz = zoneOf(school.id);
    const schoolId = school.id;
    const add = (key: string, entry: { pattern: string; enabled: boolean }, job: JobSpec) => {
      if (entry.enabled) {
        out.push({ id: `ezh-${key}-${schoolId}`, pattern: entry.pattern, tz, job });
      }
    };
    const followUps = config.jobs.afterSync;
    add(
      'sync-incremental',
      s.incrementalSync,
      jobSpec('sync.school', { schoolId, request: { mode: 'incremental' }, followUps }, ''),
    );
    add(
      'sync-reconcile',
      s.reconcileSync,
      jobSpec('sync.school', { schoolId, request: { mode: 'reconcile' }, followUps }, ''),
    );
    // Alerts have one schedule, in their own section (`alerts.enabled`, `alerts.schedule`).
    add(
      'alerts',
      { pattern: config.alerts.schedule, enabled: config.alerts.enabled },
      jobSpec('alerts.send', { schoolId }, ''),
    );
    add(
      'audit-report',
      s.auditReport,
      jobSpec('reports.render', { schoolId, report: 'audit' }, ''),
    );
    add('archive', s.archive, jobSpec('archive.create', { schoolId, trigger: 'weekly' }, ''));
    add(
      'archive-period-end',
      s.archivePeriodEnd,
      jobSpec('archive.create', { schoolId, trigger: 'period-end' }, ''),
    );
  }
  return out;
}

/** Job names the installed schedules (and the flows they start) will run. */
export function scheduledJobNames(config: Config): JobName[] {
  // Names only: the zone does not matter here.
  const names = new Set<JobName>(desiredSchedules(config, () => 'UTC').map((s) => s.job.name));
  if (names.has('sync.school')) {
    for (const n of [
      'sync.windows',
      'sync.scopes',
      'sync.finish',
      ...config.jobs.afterSync,
    ] as JobName[]) {
      names.add(n);
    }
  }
  return [...names];
}

export interface ScheduleResult {
  installed: string[];
  removed: string[];
}

export async function installSchedules(
  queues: ServiceQueues,
  config: Config,
  zoneOf: ZoneOf,
): Promise<ScheduleResult> {
  const desired = desiredSchedules(config, zoneOf);
  const ids = new Set(desired.map((d) => d.id));
  const result: ScheduleResult = { installed: [], removed: [] };
  for (const spec of desired) {
    const queue = queues.queue(JOB_QUEUE[spec.job.name]);
    const { jobId: _ignored, ...opts } = queues.jobOptions(spec.id);
    await queue.upsertJobScheduler(
      spec.id,
      { pattern: spec.pattern, tz: spec.tz },
      { name: spec.job.name, data: spec.job.payload, opts },
    );
    result.installed.push(spec.id);
  }
  for (const queue of queues.queues.values()) {
    for (const existing of await queue.getJobSchedulers(0, -1)) {
      const id = existing.key;
      if (id.startsWith('ezh-') && !ids.has(id)) {
        await queue.removeJobScheduler(id);
        result.removed.push(id);
      }
    }
  }
  return result;
}
