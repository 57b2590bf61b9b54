import type { SyncRequest } from '../sync/request.js';
import type { PlannedScope } from '../sync/scope.js';

/**
 * Every job ezh runs, with its payload type: the one source of job names for handlers, queues,
 * schedules, the in-process runner and `ezh jobs`. Payloads are plain JSON (they live in Redis).
 */
export interface JobPayloads {
  /** Start (or resume) a school's sync run: reads the school scope and fans out class scopes. */
  'sync.school': {
    schoolId: string;
    request: SyncRequest;
    runId?: string;
    followUps?: FollowUpJob[];
  };
  /** After the class scopes: plans window scopes and fans them out. */
  'sync.windows': { schoolId: string; runId: string; followUps?: FollowUpJob[] };
  /** A group of scopes of one run, read in order (one class, or one class window). */
  'sync.scopes': { schoolId: string; runId: string; scopes: PlannedScope[] };
  /** After every scope: the run's status; then the follow-up jobs (checks). */
  'sync.finish': { schoolId: string; runId: string; followUps?: FollowUpJob[] };
  'checks.run': { schoolId: string; asOf?: number; syncRunId?: string };
  'alerts.send': { schoolId?: string; asOf?: number; dryRun?: boolean };
  /**
   * A subscription's document, made and mailed to its subscribers: `schedule` is the cron pattern
   * that fired it, so the document covers the time since its previous occurrence (the 10-day
   * справка of 004 §5.2, last month's activity, the sync health since the last letter).
   */
  'alerts.document': {
    schoolId: string;
    /** A letter (`archive`, `sync-health`) or a printed document of the registry. */
    document: string;
    schedule?: string;
    tz?: string;
    asOf?: number;
  };
  /** Operator alerts: each sync or archive problem once to the sync-health subscribers, and recovery. */
  'alerts.operator': { schoolId?: string; asOf?: number };
  /**
   * A printed document: `report` is its id in the document registry (reports/registry.ts),
   * `params` its job params (definition's `job.params`), e.g. `{ period: '1 четверть' }`.
   */
  'reports.render': {
    schoolId?: string;
    report: string;
    asOf?: number;
    params?: Record<string, string>;
  };
  /** `weekly` (default): a regular archive; `period-end`: the archives of periods that just ended. */
  'archive.create': { schoolId?: string; asOf?: number; trigger?: 'weekly' | 'period-end' };
}

export type JobName = keyof JobPayloads;
export type FollowUpJob = 'checks.run';

/** One job, typed by its name. */
export type JobSpec = { [N in JobName]: { name: N; payload: JobPayloads[N]; id: string } }[JobName];

export type QueueKind = 'sync' | 'checks' | 'alerts' | 'reports' | 'archive';

export const JOB_QUEUE: Record<JobName, QueueKind> = {
  'sync.school': 'sync',
  'sync.windows': 'sync',
  'sync.scopes': 'sync',
  'sync.finish': 'sync',
  'checks.run': 'checks',
  'alerts.send': 'alerts',
  'alerts.document': 'alerts',
  'alerts.operator': 'alerts',
  'reports.render': 'reports',
  'archive.create': 'archive',
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];
export const QUEUE_KINDS: QueueKind[] = ['sync', 'checks', 'alerts', 'reports', 'archive'];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_QUEUE, name);
}

export function jobSpec<N extends JobName>(name: N, payload: JobPayloads[N], id: string): JobSpec {
  return { name, payload, id } as JobSpec;
}
