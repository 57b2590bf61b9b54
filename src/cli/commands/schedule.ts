import type { Command } from 'commander';
import { jobRegistry } from '../../jobs/host.js';
import { redisConnection } from '../../jobs/redis.js';
import { markState } from '../../jobs/redis-state.js';
import { installSchedules } from '../../jobs/schedules.js';
import { validateJobs } from '../../jobs/service.js';
import { loadSchoolContexts } from '../../mirror/school-context.js';
import { ServiceQueues } from '../../jobs/service-queues.js';
import { withApp } from '../run-action.js';

/** `ezh schedule`: installs (idempotently) the job schedulers the config describes. */
export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description('service mode: install the job schedulers from the config (safe to run again)')
    .action(
      withApp(async (app) => {
        validateJobs(app.config, jobRegistry(app));
        // Each school's cron runs in its zone: the config's, else the platform's (after a sync).
        const schools = await loadSchoolContexts((await app.mirror()).db, app.config);
        const zoneOf = (id: string) => schools.get(id).zone;
        for (const s of app.config.schools) zoneOf(s.id); // an unknown zone: exit 2 before Redis is touched
        const connection = redisConnection(app.config.redis);
        const queues = new ServiceQueues(connection, app.config);
        try {
          const result = await installSchedules(queues, app.config, zoneOf);
          // Workers that find this marker gone know Redis lost its data and install them again.
          await markState(connection, app.config.redis.prefix, 'ezh schedule');
          for (const id of result.installed) process.stdout.write(`installed ${id}\n`);
          for (const id of result.removed) process.stdout.write(`removed ${id}\n`);
        } finally {
          await queues.close();
          connection.disconnect();
        }
      }),
    );
}
