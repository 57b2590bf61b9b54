import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { JOB_QUEUE, QUEUE_KINDS, type JobSpec, type QueueKind } from './job-names.js';
import type { Flow } from './registry.js';

/**
 * Service mode's queues: one BullMQ queue per kind of work (sync, checks, alerts, reports,
 * archive), all under `redis.prefix`. Jobs carry deterministic ids, so adding a job twice (a
 * retried fan-out, a second worker) adds it once.
 */
export class ServiceQueues {
  readonly queues: Map<QueueKind, Queue>;
  private readonly flows: FlowProducer;

  constructor(
    readonly connection: Redis,
    private readonly config: Config,
  ) {
    const prefix = config.redis.prefix;
    this.queues = new Map(QUEUE_KINDS.map((k) => [k, new Queue(k, { connection, prefix })]));
    this.flows = new FlowProducer({ connection, prefix });
  }

  queue(kind: QueueKind): Queue {
    return this.queues.get(kind)!;
  }

  /** Retries with exponential backoff; finished jobs kept for inspection up to the configured counts. */
  jobOptions(id: string): JobsOptions {
    const jobs = this.config.jobs;
    return {
      jobId: id,
      attempts: jobs.attempts,
      backoff: { type: 'exponential', delay: jobs.backoffMs },
      removeOnComplete: { count: jobs.keepCompleted },
      removeOnFail: { count: jobs.keepFailed },
    };
  }

  async add(job: JobSpec): Promise<void> {
    await this.queue(JOB_QUEUE[job.name]).add(job.name, job.payload, this.jobOptions(job.id));
  }

  /**
   * A flow: the parent (`then`) starts once every child has finished; a child that finally fails
   * does not block it (`ignoreDependencyOnFailure`), the parent records a partial result.
   */
  async spawn(flow: Flow): Promise<void> {
    if (!flow.then) {
      for (const child of flow.children) await this.add(child);
      return;
    }
    await this.flows.add({
      name: flow.then.name,
      queueName: JOB_QUEUE[flow.then.name],
      data: flow.then.payload,
      opts: this.jobOptions(flow.then.id),
      children: flow.children.map((c) => ({
        name: c.name,
        queueName: JOB_QUEUE[c.name],
        data: c.payload,
        opts: { ...this.jobOptions(c.id), ignoreDependencyOnFailure: true },
      })),
    });
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
