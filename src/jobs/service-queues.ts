import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import type { Flow } from './define-job.js';
import { JOBS } from './definitions/index.js';
import { FairShare, weightOfMode } from './fair-share.js';
import { QUEUE_KINDS, type AnyJobSpec, type QueueKind } from './job-names.js';
import { JobRegistry } from './registry.js';

/** The job that queues a flow, as far as fair sharing needs it (its name and data). */
export interface SpawningJob {
  name: string;
  data: unknown;
}

/**
 * Service mode's queues: one BullMQ queue per kind of work (sync, checks, alerts, reports,
 * archive), all under `redis.prefix`. Jobs carry deterministic ids, so adding a job twice (a
 * retried fan-out, a second worker) adds it once. Scope groups get priorities that share the
 * workers fairly between schools (fair-share.ts).
 */
export class ServiceQueues {
  readonly queues: Map<QueueKind, Queue>;
  readonly fair: FairShare;
  private readonly flows: FlowProducer;

  constructor(
    readonly connection: Redis,
    private readonly config: Config,
    /** Where each job is queued and with which options (default: every job of this build). */
    private readonly registry: JobRegistry = new JobRegistry(JOBS),
  ) {
    const prefix = config.redis.prefix;
    this.queues = new Map(QUEUE_KINDS.map((k) => [k, new Queue(k, { connection, prefix })]));
    this.flows = new FlowProducer({ connection, prefix });
    this.fair = new FairShare(connection, prefix);
  }

  queue(kind: QueueKind): Queue {
    return this.queues.get(kind)!;
  }

  queueOf(name: string): QueueKind {
    return this.registry.queueOf(name);
  }

  /**
   * Retries with exponential backoff (the config's, or the job's own); finished jobs kept for
   * inspection up to the configured counts.
   */
  jobOptions(id: string, name?: string): JobsOptions {
    const jobs = this.config.jobs;
    const defaults = { attempts: jobs.attempts, backoffMs: jobs.backoffMs };
    const own = name === undefined ? defaults : this.registry.options(name, defaults);
    return {
      jobId: id,
      attempts: own.attempts,
      backoff: { type: 'exponential', delay: own.backoffMs },
      removeOnComplete: { count: jobs.keepCompleted },
      removeOnFail: { count: jobs.keepFailed },
    };
  }

  async add(job: AnyJobSpec): Promise<void> {
    const priority = (await this.priorities([job])).get(job.id);
    await this.queue(this.queueOf(job.name)).add(job.name, job.payload, {
      ...this.jobOptions(job.id, job.name),
      ...(priority === undefined ? {} : { priority }),
    });
  }

  /**
   * A flow: the parent (`then`) starts once every child has finished; a child that finally fails
   * does not block it (`ignoreDependencyOnFailure`), the parent records a partial result.
   */
  async spawn(flow: Flow, from?: SpawningJob): Promise<void> {
    const priorities = await this.priorities(flow.children, from);
    const withPriority = (id: string) => {
      const priority = priorities.get(id);
      return priority === undefined ? {} : { priority };
    };
    if (!flow.then) {
      for (const child of flow.children) {
        await this.queue(this.queueOf(child.name)).add(child.name, child.payload, {
          ...this.jobOptions(child.id, child.name),
          ...withPriority(child.id),
        });
      }
      return;
    }
    await this.flows.add({
      name: flow.then.name,
      queueName: this.queueOf(flow.then.name),
      data: flow.then.payload,
      opts: this.jobOptions(flow.then.id, flow.then.name),
      children: flow.children.map((c) => ({
        name: c.name,
        queueName: this.queueOf(c.name),
        data: c.payload,
        opts: {
          ...this.jobOptions(c.id, c.name),
          ...withPriority(c.id),
          ignoreDependencyOnFailure: true,
        },
      })),
    });
  }

  /**
   * The fair-share priorities of the scope groups among `jobs`, by job id, in queueing order per
   * school; a `sync.school` that fans out sets its run's weight from its mode.
   */
  private async priorities(
    jobs: readonly AnyJobSpec[],
    from?: SpawningJob,
  ): Promise<Map<string, number>> {
    const bySchool = new Map<string, string[]>();
    for (const job of jobs) {
      if (job.name !== 'sync.scopes') continue;
      const school = (job.payload as { schoolId?: unknown } | null)?.schoolId;
      if (typeof school !== 'string') continue;
      bySchool.set(school, [...(bySchool.get(school) ?? []), job.id]);
    }
    const mode =
      from?.name === 'sync.school'
        ? (from.data as { request?: { mode?: string } } | null)?.request?.mode
        : undefined;
    const out = new Map<string, number>();
    for (const [school, ids] of bySchool) {
      const tags = await this.fair.priorities(school, weightOfMode(mode), ids.length);
      ids.forEach((id, i) => out.set(id, tags[i]!));
    }
    return out;
  }

  /** Waiting, active, delayed and failed jobs per queue. */
  async depth(): Promise<Record<QueueKind, Record<string, number>>> {
    const out = {} as Record<QueueKind, Record<string, number>>;
    for (const [kind, q] of this.queues) {
      out[kind] = await q.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'failed',
        'waiting-children',
        'prioritized',
      );
    }
    return out;
  }

  async close(): Promise<void> {
    await this.flows.close();
    for (const q of this.queues.values()) await q.close();
  }
}
