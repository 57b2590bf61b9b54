import type { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { Logger } from '../platform/logger.js';
import type { SyncDeps } from '../sync/deps.js';
import type { JobSpec, QueueKind } from './job-names.js';

/**
 * A job is one `defineJob` file: its name (what Redis stores, never renamed), the zod schema of its
 * payload (parsed before every run: a payload a schedule stored long ago, or a hand-queued one,
 * that no longer fits fails the job with a clear message instead of a crash deep inside), the
 * queue it runs on, its retry options, and the handler. `definitions/index.ts` lists them; every
 * door (BullMQ workers, the in-process runner, the embedded scheduler, `ezh jobs run`) runs them
 * through one registry built from that list (registry.ts).
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

/** What a job that works through the app's services (checks, documents, alerts, archive) gets. */
export interface AppJobContext extends JobContext {
  app: AppContext;
}

/** Overrides of the config's `jobs.attempts` / `jobs.backoffMs` for one job. */
export interface JobOptions {
  attempts?: number;
  backoffMs?: number;
}

interface JobDefinitionBase<N extends string, S extends z.ZodType> {
  name: N;
  payload: S;
  queue: QueueKind;
  options?: JobOptions;
  /** One line for `ezh jobs` and the docs. */
  description?: string;
}

/** A job that needs nothing but the sync's dependencies (the mirror, connectors, clock, logger). */
export interface PlainJobDefinition<
  N extends string = string,
  S extends z.ZodType = z.ZodType,
> extends JobDefinitionBase<N, S> {
  usesApp?: false;
  handler(ctx: JobContext, payload: z.output<S>): Promise<unknown>;
}

/**
 * A job over the app's services: registered only in a host built with an AppContext (a sync-only
 * host, like `ezh sync`'s, lists it as not available instead of failing it at run time).
 */
export interface AppJobDefinition<
  N extends string = string,
  S extends z.ZodType = z.ZodType,
> extends JobDefinitionBase<N, S> {
  usesApp: true;
  handler(ctx: AppJobContext, payload: z.output<S>): Promise<unknown>;
}

export type JobDefinition<N extends string = string, S extends z.ZodType = z.ZodType> =
  PlainJobDefinition<N, S> | AppJobDefinition<N, S>;

export function defineJob<const N extends string, S extends z.ZodType>(
  definition: AppJobDefinition<N, S>,
): AppJobDefinition<N, S>;
export function defineJob<const N extends string, S extends z.ZodType>(
  definition: PlainJobDefinition<N, S>,
): PlainJobDefinition<N, S>;
export function defineJob(definition: JobDefinition): JobDefinition {
  return Object.freeze({ ...definition });
}

/** The payload type of a job definition (what its schema yields). */
export type PayloadOf<D> = D extends { payload: infer S extends z.ZodType } ? z.output<S> : never;
