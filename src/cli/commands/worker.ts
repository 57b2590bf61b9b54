import type { Command } from 'commander';
import { QUEUE_KINDS, type QueueKind } from '../../jobs/job-names.js';
import { startService } from '../../jobs/service.js';
import { startEmbeddedHost } from '../../jobs/embedded-host.js';
import { systemClock } from '../../platform/clock.js';
import { startWorkerMetrics, type JobObserver } from '../../metrics/index.js';
import { UsageError } from '../../platform/errors.js';
import type { App } from '../app.js';
import { withApp } from '../run-action.js';

/** `--queues sync,checks` → the queue kinds, every unknown name listed (exit 2). */
export function parseQueues(value: string | undefined): QueueKind[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(QUEUE_KINDS as string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      'invalid --queues',
      unknown.length > 0
        ? unknown.map((n) => `unknown queue "${n}": expected ${QUEUE_KINDS.join(', ')}`)
        : [`expected a comma-separated list of ${QUEUE_KINDS.join(', ')}`],
    );
  }
  return [...new Set(names)] as QueueKind[];
}

/**
 * `ezh worker`: service mode; runs jobs from the queues until SIGTERM/SIGINT. Start-up is all or
 * nothing: the metrics port is bound and Redis answers before any job is taken; otherwise it
 * exits non-zero.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'service mode: run BullMQ workers (Redis, usually a PostgreSQL mirror) until stopped',
    )
    .option('--queues <names>', `only these queues, comma-separated (${QUEUE_KINDS.join(', ')})`)
    .option(
      '--embedded',
      'embedded mode: run the schedules in this process (no Redis), each job in-process',
    )
    .action(
      withApp(async (app, flags: { queues?: string; embedded?: boolean }) => {
        if (flags.embedded) return runEmbedded(app);
        const kinds = parseQueues(flags.queues);
        // Listening from the start: a stop while starting (a slow start, systemd stopping it)
        // ends with a clean close once start-up is done, not a process killed half started.
        const stopped = new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            app.logger.info({ signal }, 'stop requested');
            resolve();
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
        const mirror = await app.mirror();
        let observe: JobObserver | undefined;
        const host = await startService({
          config: app.config,
          db: mirror.db,
          clock: systemClock,
          logger: app.logger,
          app,
          kinds,
          // Prometheus endpoint (jobs.metrics), bound before any worker takes a job.
          addOn: async ({ queues, connection }) => {
            const metrics = await startWorkerMetrics({
              config: app.config,
              db: mirror.db,
              queues,
              connection,
              logger: app.logger,
            });
            if (!metrics) return null;
            observe = metrics.observeJob;
            return metrics.server;
          },
          observe: (job, outcome, ms) => observe?.(job, outcome, ms),
        });
        app.logger.info(
          {
            worker: host.workers.name,
            queues: host.workers.workers.map((w) => w.name),
            mirror: mirror.describe,
          },
          'worker started',
        );
        await stopped;
        app.logger.info('finishing the current scopes, then exiting');
        await host.close();
        app.logger.info('worker stopped');
      }),
    );
}

/**
 * `ezh worker --embedded`: the config's schedules (the same as `ezh schedule` installs on Redis)
 * fired in this process until SIGTERM/SIGINT; a job running then is finished first.
 */
async function runEmbedded(app: App): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.logger.info({ signal }, 'stop requested');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  const host = await startEmbeddedHost(app);
  const mirror = await app.mirror();
  app.logger.info(
    { schedules: host.schedules, mirror: mirror.describe },
    'embedded scheduler started',
  );
  await stopped;
  await host.stop();
  app.logger.info('embedded scheduler stopped');
}
