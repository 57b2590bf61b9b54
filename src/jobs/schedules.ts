import type { Config } from '../config/schema.js';
import { sha1 } from '../mirror/hash.js';
import { jobSpec, type JobName, type JobSpec } from './job-names.js';
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
    // Daytime runs read the current week only; the nightly reconciliation reads the rest.
    add(
      'sync-incremental',
      s.incrementalSync,
      jobSpec('sync.school', { schoolId, request: { mode: 'hourly' }, followUps }, ''),
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
      // `range: schedule`: the справка covers the time since the previous occurrence (10 days).
      jobSpec('reports.render', { schoolId, report: 'audit', params: { range: 'schedule' } }, ''),
    );
    add('archive', s.archive, jobSpec('archive.create', { schoolId, trigger: 'weekly' }, ''));
    add(
      'archive-period-end',
      s.archivePeriodEnd,
      jobSpec('archive.create', { schoolId, trigger: 'period-end' }, ''),
    );
    out.push(...subscriptionSchedules(config, schoolId, tz));
  }
  return out;
}

/** The monthly activity report goes on the 1st at 07:00 (school time) unless its subscription says. */
export const ACTIVITY_DEFAULT_SCHEDULE = '0 7 1 * *';
/** The class teachers' weekly sheets go on Mondays at 07:00 for the week just ended, unless said. */
export const WEEKLY_DEFAULT_SCHEDULE = '0 7 * * 1';
const DEFAULT_SCHEDULES: Readonly<Record<string, string>> = {
  activity: ACTIVITY_DEFAULT_SCHEDULE,
  weekly: WEEKLY_DEFAULT_SCHEDULE,
};

/**
 * What `alerts.subscriptions` asks for, when alerts are enabled: each subscription's own schedule
 * (one scheduler per document and pattern, however many subscriptions share it), the monthly
 * activity report (always, when the school names its deputy director), and the operator alerts'
 * check when someone subscribed to `sync-health`.
 */
function subscriptionSchedules(config: Config, schoolId: string, tz: string): ScheduleSpec[] {
  if (!config.alerts.enabled) return [];
  const out = new Map<string, ScheduleSpec>();
  const subs = config.alerts.subscriptions.filter((s) => !s.schoolId || s.schoolId === schoolId);
  // The activity report goes to the deputy director every month (001 §3.2.1) without a
  // subscription of its own: a configured deputy director is one (see deliverDocument).
  const deputy = config.schools.find((s) => s.id === schoolId)?.deputyDirector;
  const implicit = deputy ? [{ document: 'activity' as const, schedule: undefined }] : [];
  for (const sub of [...subs, ...implicit]) {
    const pattern = sub.schedule ?? DEFAULT_SCHEDULES[sub.document];
    if (!pattern) continue;
    const id = `ezh-doc-${sub.document}-${sha1(pattern).slice(0, 8)}-${schoolId}`;
    out.set(id, {
      id,
      pattern,
      tz,
      job: jobSpec(
        'alerts.document',
        { schoolId, document: sub.document, schedule: pattern, tz },
        '',
      ),
    });
  }
  if (subs.some((s) => s.document === 'sync-health')) {
    const id = `ezh-operator-${schoolId}`;
    out.set(id, {
      id,
      pattern: config.alerts.operatorSchedule,
      tz,
      job: jobSpec('alerts.operator', { schoolId }, ''),
    });
  }
  return [...out.values()];
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
    const queue = queues.queue(queues.queueOf(spec.job.name));
    const { jobId: _ignored, ...opts } = queues.jobOptions(spec.id, spec.job.name);
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
