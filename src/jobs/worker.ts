import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Config } from '../config/schema.js';
import type { Logger } from '../platform/logger.js';
import type { SyncDeps } from '../sync/deps.js';
import { runFinishStage } from '../sync/engine.js';
import { classifyJobError } from './job-errors.js';
import { failureReason, jobErrorLog } from './job-log.js';
import { QUEUE_KINDS, type JobName, type QueueKind } from './job-names.js';
import type { JobObserver, JobOutcome } from '../metrics/job-metrics.js';
import type { JobRegistry } from './registry.js';
import type { ServiceQueues } from './service-queues.js';
import { schoolOfJob, type HeldLock, type SchoolLocks } from './school-lock.js';

/** A sync job whose school is busy on another worker is put back for this long (plus jitter). */
export const SCHOOL_BUSY_RETRY_MS = 500;

/** Set in a job's data when a refused token first held it (`jobs.rateLimitMaxWaitMs`). */
const HELD_SINCE = 'rateLimitedSince';

/** Pauses one token in every worker process (the Redis limiters: redis-rate-limiter.ts). */
export interface TokenPauses {
  pause(limiterKey: string, ms: number): Promise<number>;
}

/**
 * Service mode's workers: one BullMQ worker per queue whose jobs this build can run. A job's
 * failure is mapped to BullMQ's vocabulary: the platform's rate limit pauses the refused token
 * (in every process, through Redis) and puts the job back until the pause ends, no attempt spent,
 * while other schools' jobs run on, until the token has held the job longer than
 * `jobs.rateLimitMaxWaitMs` (then the job fails with the reason); permanent errors fail at once, a
 * shutdown between scopes puts the job back. With `locks`, at most one sync job of a school runs
 * at a time across all workers (school-lock.ts): a job of a busy school is put back for a moment. (Not `queue.rateLimit()`: BullMQ ignores it on a worker without a `limiter`, and
 * with one it would stop the whole queue, every school, for one token's refusal.)
 */
export interface RunningWorkers {
  workers: Worker[];
  /** This process's worker name (host:pid), as `ezh jobs list` shows it beside each active job. */
  name: string;
  /** Finishes the current scope of every active job, then closes. */
  close(): Promise<void>;
}

export function startWorkers(options: {
  config: Config;
  registry: JobRegistry;
  deps: SyncDeps;
  queues: ServiceQueues;
  logger: Logger;
  /** Only these queues (default: every queue with at least one handler). */
  kinds?: QueueKind[];
  /** Told how each job attempt ended and how long it took (the metrics' histogram). */
  observe?: JobObserver;
  /** Where a refused token is paused for all workers (default: the job only waits). */
  pauses?: TokenPauses;
  /** The per-school cap on running sync jobs, shared through Redis (default: none). */
  locks?: SchoolLocks;
}): RunningWorkers {
  const { config, registry, deps, queues, logger, pauses, locks } = options;
  const observe = options.observe ?? (() => undefined);
  const shutdown = new AbortController();
  const kinds =
    options.kinds ??
    QUEUE_KINDS.filter((k) => registry.names().some((n) => registry.queueOf(n) === k));
  const workerId = workerName();
  const workers = kinds.map((kind) => {
    const processor = async (job: Job, token?: string): Promise<unknown> => {
      if (!registry.has(job.name)) throw new UnrecoverableError(`unknown job "${job.name}"`);
      const name = job.name as JobName;
      const started = Date.now();
      const ended = (outcome: JobOutcome) => observe(name, outcome, Date.now() - started);
      // One sync job per school at a time, whatever the workers: a busy school's job waits.
      let held: HeldLock | null = null;
      const school = kind === 'sync' && locks ? schoolOfJob(job.data) : null;
      if (school && locks) {
        held = await locks.acquire(school, `${workerId}:${job.id ?? name}`);
        if (!held) {
          const jitter = Math.floor(Math.random() * SCHOOL_BUSY_RETRY_MS);
          await job.moveToDelayed(Date.now() + SCHOOL_BUSY_RETRY_MS + jitter, token);
          throw new DelayedError();
        }
      }
      // Fair sharing: later schools' groups are tagged from the highest group started.
      if (name === 'sync.scopes') {
        await queues.fair
          .started(job.opts.priority)
          .catch((err: unknown) => logger.debug({ err }, 'fair-share tag not recorded'));
      }
      const heldSince = heldSinceOf(job.data);
      try {
        const result = await registry.run(name, withoutHold(job.data), {
          deps,
          jobId: job.id ?? `${name}-${job.timestamp}`,
          logger: logger.child({ job: name, id: job.id }),
          signal: shutdown.signal,
          spawn: (flow) => queues.spawn(flow, job),
        });
        ended('completed');
        return result;
      } catch (err) {
        const kindOf = classifyJobError(err);
        switch (kindOf.kind) {
          case 'rateLimit': {
            const since = heldSince ?? Date.now();
            if (Date.now() - since >= config.jobs.rateLimitMaxWaitMs) {
              ended('failed');
              const reason = heldTooLong(since, config);
              // The run ends with the reason (the flow's finish keeps a run already finished).
              const runId = (job.data as { runId?: unknown } | null)?.runId;
              if (kind === 'sync' && typeof runId === 'string') {
                await runFinishStage(deps, runId, reason).catch((e: unknown) =>
                  logger.warn({ err: e, run: runId }, 'run not marked failed'),
                );
              }
              logger.error({ queue: kind, job: name, id: job.id }, reason);
              throw Object.assign(new UnrecoverableError(reason), { cause: err });
            }
            if (heldSince === null) {
              await job.updateData({ ...asObject(job.data), [HELD_SINCE]: since });
            }
            ended('rate_limited');
            // Refused by the platform: the token pauses at least the configured time (longer if
            // the platform asks). Refused here because the token is still paused: the job waits
            // for what remains. A little jitter, so that the token's jobs do not all wake at once.
            const ms = kindOf.paused
              ? (kindOf.waitMs ?? config.jobs.rateLimitPauseMs)
              : Math.max(kindOf.waitMs ?? 0, config.jobs.rateLimitPauseMs);
            if (!kindOf.paused) {
              if (kindOf.limiterKey && pauses) await pauses.pause(kindOf.limiterKey, ms);
              logger.warn(
                { queue: kind, job: name, id: job.id, ms },
                'platform rate limit: the token is paused; its job waits, other schools run on',
              );
            }
            await job.moveToDelayed(Date.now() + ms + Math.floor(Math.random() * 250), token);
            throw new DelayedError();
          }
          case 'permanent':
            await clearHold(job, heldSince);
            ended('failed');
            // The reason `ezh jobs list` shows; a usage error is logged without its stack.
            throw Object.assign(new UnrecoverableError(failureReason(err)), { cause: err });
          case 'interrupted':
            await clearHold(job, heldSince);
            ended('interrupted');
            await job.moveToDelayed(Date.now() + 1000, token);
            throw new DelayedError();
          case 'retry':
            await clearHold(job, heldSince);
            ended(job.attemptsMade + 1 < (job.opts.attempts ?? 1) ? 'retry' : 'failed');
            throw err;
        }
      } finally {
        await held
          ?.release()
          .catch((err: unknown) => logger.debug({ err }, 'school lock not released (it expires)'));
      }
    };
    const worker = new Worker(kind, processor, {
      name: workerId,
      connection: queues.connection,
      prefix: config.redis.prefix,
      concurrency: config.jobs.concurrency[kind],
      // A scope may take a while on a slow platform; the lock is renewed while the job runs.
      lockDuration: config.jobs.lockDurationMs,
      stalledInterval: config.jobs.stalledIntervalMs,
    });
    worker.on('failed', (job, err) =>
      logger.warn({ queue: kind, job: job?.name, id: job?.id, ...jobErrorLog(err) }, 'job failed'),
    );
    worker.on('error', (err) => logger.error({ queue: kind, err }, 'worker error'));
    // A job whose worker died (or blocked its event loop past the lock) goes back to the queue.
    worker.on('stalled', (id, previous) =>
      logger.warn(
        { queue: kind, id, previous },
        'stalled job: its worker lost the lock; re-queued (failed after jobs stalled too often)',
      ),
    );
    return worker;
  });
  return {
    workers,
    name: workerId,
    close: async () => {
      shutdown.abort();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

function asObject(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

/** When a refused token first held this job (kept in its data across its delays), or null. */
function heldSinceOf(data: unknown): number | null {
  const v = asObject(data)[HELD_SINCE];
  return typeof v === 'number' ? v : null;
}

/** The job's own payload, without the worker's bookkeeping. */
function withoutHold(data: unknown): unknown {
  if (heldSinceOf(data) === null) return data;
  const { [HELD_SINCE]: _held, ...rest } = asObject(data);
  return rest;
}

/** Another outcome than a refusal ends the job's wait: a later refusal starts a new one. */
async function clearHold(job: Job, heldSince: number | null): Promise<void> {
  if (heldSince !== null) await job.updateData(withoutHold(job.data)).catch(() => undefined);
}

function heldTooLong(since: number, config: Config): string {
  const min = Math.round((Date.now() - since) / 60_000);
  return `the platform has refused this school's token for ${min} min (more than jobs.rateLimitMaxWaitMs, ${Math.round(config.jobs.rateLimitMaxWaitMs / 60_000)} min): the sync job fails instead of waiting on; ask the platform about the token's limit, then re-run the sync (ezh jobs retry)`;
}

/** `host:pid`: which process holds a job (BullMQ's `processedBy`, `ezh jobs list`). */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}
