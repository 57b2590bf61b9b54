import type { SyncDeps } from '../sync/deps.js';
import type { Flow } from './define-job.js';
import type { AnyJobSpec } from './job-names.js';
import type { JobRegistry } from './registry.js';
import { classifyJobError } from './job-errors.js';
import { jobErrorLog } from './job-log.js';

/**
 * Embedded mode: the same handlers as the workers, run in this process, one job at a time, in the
 * order a queue would start them (a flow's children, then its parent). A job is retried like on a
 * queue (attempts, exponential backoff); a job that finally fails does not stop its flow's parent,
 * which records the partial result (as `ignoreDependencyOnFailure` does on BullMQ).
 */

export interface InProcessOptions {
  attempts: number;
  /** Children of a flow run this many at a time (fetches overlap; SQLite writes still queue). */
  concurrency?: number;
  backoffMs: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export interface JobFailure {
  job: AnyJobSpec;
  error: unknown;
}

export class InProcessRunner {
  readonly failures: JobFailure[] = [];
  private readonly seen = new Set<string>();
  /** A permanent platform error (token, rights): the remaining children would fail the same way. */
  private fatal: unknown = null;
  private readonly signal: AbortSignal;

  constructor(
    private readonly registry: JobRegistry,
    private readonly deps: SyncDeps,
    private readonly options: InProcessOptions,
  ) {
    this.signal = options.signal ?? new AbortController().signal;
  }

  /** Runs a job and everything it spawns; returns the root job's result. */
  async run(job: AnyJobSpec): Promise<unknown> {
    return this.runOne(job, true);
  }

  private async runOne(job: AnyJobSpec, rethrow: boolean): Promise<unknown> {
    // Like a queue with deterministic ids: a job id runs once per runner.
    if (this.seen.has(job.id)) return undefined;
    this.seen.add(job.id);
    const flows: Flow[] = [];
    this.registry.get(job.name); // an unknown job fails here, not after a retry
    const { attempts, backoffMs } = this.registry.options(job.name, {
      attempts: this.options.attempts,
      backoffMs: this.options.backoffMs,
    });
    let result: unknown;
    for (let attempt = 1; ; attempt++) {
      flows.length = 0;
      try {
        result = await this.registry.run(job.name, job.payload, {
          deps: this.deps,
          jobId: job.id,
          logger: this.deps.logger,
          signal: this.signal,
          spawn: async (flow) => {
            flows.push(flow);
          },
        });
        break;
      } catch (err) {
        const kind = classifyJobError(err);
        const retryable = kind.kind === 'retry' || kind.kind === 'rateLimit';
        const last = attempt >= attempts || !retryable || this.signal.aborted;
        this.deps.logger.warn(
          { job: job.name, id: job.id, attempt, ...jobErrorLog(err) },
          last ? 'job failed' : 'job failed, retrying',
        );
        if (last) {
          this.failures.push({ job, error: err });
          if (kind.kind === 'permanent' && isAuthError(err)) this.fatal = err;
          if (rethrow) throw err;
          return undefined;
        }
        const backoff = backoffMs * 2 ** (attempt - 1);
        const wait = 'waitMs' in kind && kind.waitMs !== null ? kind.waitMs : backoff;
        await (this.options.sleep ?? defaultSleep)(wait);
      }
    }
    for (const flow of flows) {
      const queue = [...flow.children];
      const lanes = Math.max(1, Math.min(this.options.concurrency ?? 1, queue.length));
      await Promise.all(
        Array.from({ length: lanes }, async () => {
          for (let child = queue.shift(); child; child = queue.shift()) {
            if (this.signal.aborted || this.fatal !== null) return;
            await this.runOne(child, false);
          }
        }),
      );
      if (this.signal.aborted) return result;
      if (flow.then && !this.signal.aborted) await this.runOne(flow.then, rethrow);
    }
    return result;
  }
}

function isAuthError(err: unknown): boolean {
  return (err as { kind?: unknown } | null)?.kind === 'auth';
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
