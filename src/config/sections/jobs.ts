import { z } from 'zod';
import { cronPattern } from '../fields.js';

const schedule = (pattern: string, enabled = true) =>
  z
    .strictObject({
      /** Cron pattern (minute hour day month weekday), evaluated in the school's time zone. */
      pattern: cronPattern.default(pattern),
      enabled: z.boolean().default(enabled),
    })
    .prefault({});

/** Job queues (service mode on BullMQ) and the in-process runner (embedded mode). */
export const jobsSection = z
  .strictObject({
    /** Parallel jobs per worker process, per queue. */
    concurrency: z
      .strictObject({
        sync: z.int().min(1).max(64).default(4),
        checks: z.int().min(1).max(16).default(1),
        alerts: z.int().min(1).max(16).default(1),
        reports: z.int().min(1).max(8).default(1),
        archive: z.int().min(1).max(4).default(1),
      })
      .prefault({}),
    /** Attempts per job (first run included); waits grow exponentially from `backoffMs`. */
    attempts: z.int().min(1).max(50).default(5),
    backoffMs: z.int().min(0).default(10_000),
    /** How long a token pauses (in every worker) after the platform refuses it "too many requests". */
    rateLimitPauseMs: z.int().min(100).default(60_000),
    /**
     * How long a job may be held by a refused token before it fails (with the reason) instead of
     * waiting on: a token the platform keeps refusing (a lowered limit, a suspended partner app)
     * must not keep its school's runs waiting forever.
     */
    rateLimitMaxWaitMs: z.int().min(1000).default(1_800_000),
    /** Completed jobs kept for inspection; failed jobs are kept until retried or this many. */
    keepCompleted: z.int().min(0).default(1000),
    keepFailed: z.int().min(0).default(10_000),
    /**
     * A worker's lock on a running job, renewed while the job runs; a job whose worker died is
     * taken over by another worker once the lock expired, at the next stalled-job check.
     */
    lockDurationMs: z.int().min(1000).default(120_000),
    /**
     * Service mode: at most one sync job of a school runs at a time across all workers (a lock
     * per school in Redis, expiring after `lockDurationMs` if its worker died); a job of a busy
     * school waits a moment in the queue while other schools' jobs run.
     */
    oneSyncJobPerSchool: z.boolean().default(true),
    stalledIntervalMs: z.int().min(500).default(30_000),
    /**
     * How often a worker checks that Redis still holds ezh's state; if Redis restarted empty, it
     * installs the schedules again and resumes the sync runs whose jobs were lost.
     */
    redisCheckIntervalMs: z.int().min(500).default(30_000),
    /** Prometheus endpoint of `ezh worker` (GET /metrics); off by default, local only. */
    metrics: z
      .strictObject({
        enabled: z.boolean().default(false),
        port: z.int().min(0).max(65535).default(9464),
        host: z.string().min(1).default('127.0.0.1'),
      })
      .prefault({}),
    /** Jobs queued after every sync (a flow: they start when the sync finishes). */
    afterSync: z.array(z.enum(['checks.run'])).default(['checks.run']),
    schedules: z
      .strictObject({
        /**
         * Daytime sync: hourly 07:00-21:00 on school days (Mon-Sat), the current week only
         * (mode `hourly`); the school, its classes and older weeks are the reconciliation's.
         */
        incrementalSync: schedule('0 7-21 * * 1-6'),
        /**
         * Reconciliation, nightly: the school and its classes, the recent weeks, the current
         * period and older windows whose checkpoints aged out.
         */
        reconcileSync: schedule('30 2 * * *'),
        /** Compliance note for the deputy director: 1st, 11th, 21st of the month. */
        auditReport: schedule('0 7 1,11,21 * *'),
        /** Weekly archive, Sunday night. */
        archive: schedule('0 3 * * 0'),
        /** Archives of periods that have just ended (printed journals and the note), nightly check. */
        archivePeriodEnd: schedule('0 4 * * *'),
      })
      .prefault({}),
  })
  .prefault({});

export type JobsConfig = z.infer<typeof jobsSection>;
