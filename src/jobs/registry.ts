import type { AppContext } from '../app/context.js';
import { UsageError } from '../platform/errors.js';
import type { JobContext, JobDefinition, JobOptions } from './define-job.js';
import { QUEUE_KINDS, type JobName, type QueueKind } from './job-names.js';

/**
 * The jobs of this process, built once at start-up from `defineJob` definitions and validated
 * (unique names, known queues). Every door runs a job through `run`, which parses the payload
 * with the job's schema first. A host built without an app (a sync-only one) leaves out the jobs
 * over the app's services: start-up validation lists every job a command will need that is not
 * there, instead of failing on the first job.
 */
export class JobRegistry {
  /** The jobs this host runs. */
  private readonly jobs = new Map<string, JobDefinition>();
  /** Every job defined, runnable here or not: where it is queued, with which options. */
  private readonly defined = new Map<string, JobDefinition>();

  constructor(
    definitions: readonly JobDefinition[],
    private readonly app: AppContext | null = null,
  ) {
    const problems: string[] = [];
    for (const def of definitions) {
      if (this.defined.has(def.name)) problems.push(`${def.name}: defined twice`);
      if (!(QUEUE_KINDS as readonly string[]).includes(def.queue)) {
        problems.push(`${def.name}: unknown queue "${def.queue}"`);
      }
      this.defined.set(def.name, def);
      if (def.usesApp && !app) continue;
      this.jobs.set(def.name, def);
    }
    if (problems.length > 0) throw new Error(`invalid job registry: ${problems.join('; ')}`);
  }

  has(name: string): boolean {
    return this.jobs.has(name);
  }

  get(name: string): JobDefinition {
    const def = this.jobs.get(name);
    if (!def) throw new JobUnavailableError([name]);
    return def;
  }

  /** The queue a job runs on (what Redis stores it under). */
  queueOf(name: string): QueueKind {
    const def = this.defined.get(name);
    if (!def) throw new JobUnavailableError([name]);
    return def.queue;
  }

  /** The job's retry options over the config's defaults. */
  options(name: string, defaults: Required<JobOptions>): Required<JobOptions> {
    return { ...defaults, ...this.defined.get(name)?.options };
  }

  /**
   * Runs a job: its payload parsed by its schema (a payload that does not fit fails the job at
   * once, naming the job and every field), then its handler.
   */
  async run(name: string, payload: unknown, ctx: JobContext): Promise<unknown> {
    const def = this.get(name);
    const parsed = this.parse(name, payload);
    if (def.usesApp) return def.handler({ ...ctx, app: this.app! }, parsed);
    return def.handler(ctx, parsed);
  }

  /**
   * A job's payload as its schema reads it, or a JobPayloadError naming every bad field. Any job
   * defined (runnable here or not): `ezh jobs run` checks what it queues for the workers.
   */
  parse(name: string, payload: unknown): unknown {
    const def = this.defined.get(name);
    if (!def) throw new JobUnavailableError([name]);
    const parsed = def.payload.safeParse(payload);
    if (!parsed.success) {
      throw new JobPayloadError(
        name,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`),
      );
    }
    return parsed.data;
  }

  /** Throws one error listing every needed job that is not in this registry. */
  validate(needed: readonly string[]): void {
    const missing = [...new Set(needed)].filter((n) => !this.jobs.has(n));
    if (missing.length > 0) throw new JobUnavailableError(missing);
  }

  names(): JobName[] {
    return [...this.jobs.keys()] as JobName[];
  }
}

export class JobUnavailableError extends Error {
  constructor(readonly jobs: string[]) {
    super(
      `job${jobs.length > 1 ? 's' : ''} ${jobs.map((j) => `"${j}"`).join(', ')} not available in this build`,
    );
  }
}

/**
 * A payload its job's schema refuses: no retry can fix it (a permanent failure), and the message
 * names the job and every bad field.
 */
export class JobPayloadError extends UsageError {
  constructor(
    readonly job: string,
    problems: string[],
  ) {
    super(`job "${job}": invalid payload`, problems);
  }
}
