import type { Command } from 'commander';
import { startService } from '../../jobs/service.js';
import { startWorkerMetrics } from '../../metrics/index.js';
import { systemClock } from '../../platform/clock.js';
import { withApp } from '../run-action.js';

/** `ezh worker`: service mode; runs jobs from the queues until SIGTERM/SIGINT. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'service mode: run BullMQ workers (Redis, usually a PostgreSQL mirror) until stopped',
    )
    .action(
      withApp(async (app) => {
        const mirror = await app.mirror();
        const host = startService({
          config: app.config,
          db: mirror.db,
          clock: systemClock,
          logger: app.logger,
          app,
        });
        // Prometheus endpoint (jobs.metrics), read from the mirror and the queues at scrape time.
        const metrics = await startWorkerMetrics({
          config: app.config,
          db: mirror.db,
          queues: host.queues,
          logger: app.logger,
        });
        app.logger.info(
          { queues: host.workers.workers.map((w) => w.name), mirror: mirror.describe },
          'worker started',
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            app.logger.info({ signal }, 'finishing the current scopes, then exiting');
            resolve();
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
        await metrics?.close();
        await host.close();
        app.logger.info('worker stopped');
      }),
    );
}
