import type { Command } from 'commander';
import { listFailed, retryFailed } from '../../jobs/failed-jobs.js';
import { redisConnection } from '../../jobs/redis.js';
import { ServiceQueues } from '../../jobs/service-queues.js';
import { formatTable } from '../../mirror/stats.js';
import { UsageError } from '../../platform/errors.js';
import { instantToIso } from '../../platform/time.js';
import { withApp } from '../run-action.js';
import type { App } from '../app.js';

async function withQueues<T>(app: App, fn: (q: ServiceQueues) => Promise<T>): Promise<T> {
  const connection = redisConnection(app.config.redis);
  const queues = new ServiceQueues(connection, app.config);
  try {
    return await fn(queues);
  } finally {
    await queues.close();
    connection.disconnect();
  }
}

/** `ezh jobs list|retry`: failed jobs of service mode, inspected and re-queued. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('service mode: inspect and re-queue failed jobs');
  jobs
    .command('list')
    .description('list failed jobs, newest first')
    .action(
      withApp(async (app) => {
        const failed = await withQueues(app, (q) => listFailed(q));
        if (failed.length === 0) return void process.stdout.write('no failed jobs\n');
        process.stdout.write(
          `${formatTable(
            ['queue', 'id', 'job', 'attempts', 'failed at', 'reason'],
            failed.map((f) => [
              f.queue,
              f.id,
              f.name,
              f.attempts,
              instantToIso(f.failedAt) ?? '-',
              f.reason.slice(0, 120),
            ]),
          )}\n`,
        );
      }),
    );
  jobs
    .command('retry')
    .description('re-queue failed jobs by id, or all of them with --all')
    .argument('[ids...]', 'job ids from `ezh jobs list`')
    .option('--all', 're-queue every failed job')
    .action(
      withApp(async (app, ids: string[], flags: { all?: boolean }) => {
        if (ids.length === 0 && !flags.all) {
          throw new UsageError('nothing to retry', ['give job ids or --all']);
        }
        const retried = await withQueues(app, (q) => retryFailed(q, flags.all ? [] : ids));
        process.stdout.write(`re-queued ${retried.length} job(s)\n`);
        const missing = ids.filter((id) => !retried.includes(id));
        for (const id of missing) process.stdout.write(`not a failed job: ${id}\n`);
        return missing.length > 0 ? 1 : 0;
      }),
    );
}
