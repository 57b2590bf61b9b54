import type { Logger } from '../platform/logger.js';
import type { SyncDeps } from '../sync/deps.js';
import { JOB_NAMES, type JobName, type JobPayloads, type JobSpec } from './job-names.js';

/**
 * Handlers by job name. Sync handlers ship with this module; checks, alerts, reports and archive
 * plug theirs in by name at start-up (`registerHandler('checks.run', fn)`). Start-up validation
 * lists every job a command will need that has no handler, instead of failing on the first job.
 */

/** A fan-out: children run (in any order, in parallel on workers), then `then` runs. */
export interface Flow {
  children: JobSpec[];
  then?: JobSpec;
}

export interface JobContext {
  deps: SyncDeps;
  jobId: string;
  logger: Logger;
  /** Aborted when the host shuts down: finish the current scope, then stop. */
  signal: AbortSignal;
  /** Queues a flow (service mode) or runs it right after this job (embedded). */
  spawn(flow: Flow): Promise<void>;
}

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  ctx: JobContext,
) => Promise<unknown>;

export class HandlerRegistry {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): this {
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
    return this;
  }

  get<N extends JobName>(name: N): JobHandler<N> {
    const handler = this.handlers.get(name);
    if (!handler) throw new JobUnavailableError([name]);
    return handler as unknown as JobHandler<N>;
  }

  has(name: JobName): boolean {
    return this.handlers.has(name);
  }

  /** Throws one error listing every needed job without a handler. */
  validate(needed: readonly JobName[]): void {
    const missing = [...new Set(needed)].filter((n) => !this.handlers.has(n));
    if (missing.length > 0) throw new JobUnavailableError(missing);
  }

  names(): JobName[] {
    return JOB_NAMES.filter((n) => this.handlers.has(n));
  }
}

export class JobUnavailableError extends Error {
  constructor(readonly jobs: JobName[]) {
    super(
      `job${jobs.length > 1 ? 's' : ''} ${jobs.map((j) => `"${j}"`).join(', ')} not available in this build`,
    );
  }
}

/** The process-wide registry that other modules plug their handlers into. */
export const handlers = new HandlerRegistry();

export function registerHandler<N extends JobName>(name: N, handler: JobHandler<N>): void {
  handlers.register(name, handler);
}
