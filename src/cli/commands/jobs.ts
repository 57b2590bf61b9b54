import type { Command } from 'commander';
import { retryFailed } from '../../jobs/failed-jobs.js';
import { listJobs, LISTED_STATES, type ListedState } from '../../jobs/job-list.js';
import { ConnectorCache, jobRegistry } from '../../jobs/host.js';
import { redisConnection, redisReachable } from '../../jobs/redis.js';
import { redisAddress } from '../../jobs/service.js';
import {
  checkManualJobs,
  manualAsOf,
  manualJobs,
  reportParamOptions,
  RUNNABLE,
  type RunNowOptions,
} from '../../jobs/run-now.js';
import { ServiceQueues } from '../../jobs/service-queues.js';
import { formatTable } from '../../mirror/stats.js';
import { EnvironmentError, UsageError } from '../../platform/errors.js';
import { instantToIso } from '../../platform/time.js';
import { DOCUMENTS } from '../../reports/registry.js';
import { withApp } from '../run-action.js';
import type { App } from '../app.js';

async function withQueues<T>(app: App, fn: (q: ServiceQueues) => Promise<T>): Promise<T> {
  // Fail at once rather than wait forever on a Redis that does not answer.
  if (!(await redisReachable(app.config.redis))) {
    throw new EnvironmentError(
      `Redis at ${redisAddress(app.config.redis.url)} (redis.url) does not answer`,
    );
  }
  const connection = redisConnection(app.config.redis);
  const queues = new ServiceQueues(connection, app.config);
  try {
    return await fn(queues);
  } finally {
    await queues.close();
    connection.disconnect();
  }
}

function parseStates(value: string | undefined): ListedState[] {
  if (!value) return [...LISTED_STATES];
  const states = value.split(',').map((s) => s.trim());
  const unknown = states.filter((s) => !(LISTED_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new UsageError(
      'invalid --state',
      unknown.map((s) => `unknown state "${s}": expected ${LISTED_STATES.join(', ')}`),
    );
  }
  return states as ListedState[];
}

interface RunFlags {
  school?: string;
  full?: boolean;
  reconcile?: boolean;
  from?: string;
  to?: string;
  class?: string;
  asOf?: string;
  dryRun?: boolean;
  report?: string;
  trigger?: string;
  /** The documents' own params (`reportParamOptions`), by commander's camelCase key. */
  [param: string]: unknown;
}

/** Options of `ezh jobs run` itself; a document's job param of one of these names is refused at start-up. */
const RUN_OPTIONS = [
  'school',
  'full',
  'reconcile',
  'from',
  'to',
  'as-of',
  'dry-run',
  'report',
  'trigger',
];

const camel = (key: string) => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `ezh jobs list|run|retry`: the queues of service mode, inspected, fed by hand, re-queued. */
export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('service mode: list queued, running and failed jobs; run a job now; retry');
  jobs
    .command('list')
    .description('running (with their worker), waiting, delayed and failed jobs')
    .option('--state <states>', `only these states, comma-separated (${LISTED_STATES.join(', ')})`)
    .action(
      withApp(async (app, flags: { state?: string }) => {
        const states = parseStates(flags.state);
        const listed = await withQueues(app, (q) => listJobs(q, states));
        if (listed.length === 0) return void process.stdout.write('no jobs\n');
        process.stdout.write(
          `${formatTable(
            ['queue', 'state', 'id', 'job', 'worker', 'attempts', 'since', 'reason'],
            listed.map((j) => [
              j.queue,
              j.state,
              j.id,
              j.name,
              j.worker ?? '-',
              j.attempts,
              instantToIso(j.at) ?? '-',
              j.reason.slice(0, 120),
            ]),
          )}\n`,
        );
      }),
    );
  const run = jobs
    .command('run')
    .description(
      `queue a job now for the workers (${RUNNABLE.join(', ')}); in service mode use this, not \`ezh sync\``,
    )
    .argument('<job>', RUNNABLE.join(' | '))
    .option('--school <id>', 'only this school (default: every configured school)')
    .option('--full', 'sync: read every window of the school year')
    .option('--reconcile', 'sync: re-read older windows sooner')
    .option('--from <date>', 'sync: backfill from this date (YYYY-MM-DD)')
    .option('--to <date>', 'sync: backfill to this date (YYYY-MM-DD)')
    .option('--as-of <iso>', 'checks, alerts, report, archive: as of this instant')
    .option('--dry-run', 'alerts: compose, do not send')
    .option(
      '--report <id>',
      `report: the document (${DOCUMENTS.all.map((d) => d.id).join(', ')}; default audit)`,
    )
    .option('--trigger <kind>', 'archive: weekly (default) or period-end');
  // The documents' own params, from the registry; --class is also the sync's.
  const params = reportParamOptions();
  const classParam = params.find((p) => p.key === 'class');
  run.option(
    '--class <name>',
    `sync: only this class${classParam ? `; ${classParam.description}` : ''}`,
  );
  for (const p of params) {
    if (p.key === 'class') continue;
    if (RUN_OPTIONS.includes(p.key)) {
      throw new Error(`document job param --${p.key} clashes with an option of ezh jobs run`);
    }
    run.option(p.flags, p.description);
  }
  run.action(
    withApp(async (app, name: string, flags: RunFlags) => {
      const asOf =
        flags.asOf === undefined
          ? undefined
          : await manualAsOf((await app.mirror()).db, app.config, flags.asOf, flags.school);
      const options: RunNowOptions = {
        school: flags.school,
        full: flags.full,
        reconcile: flags.reconcile,
        from: flags.from,
        to: flags.to,
        className: flags.class,
        asOf,
        dryRun: flags.dryRun,
        report: flags.report,
        params: Object.fromEntries(
          params
            .filter((p) => p.key !== 'class')
            .map((p) => [p.key, flags[camel(p.key)] as string | undefined]),
        ),
        trigger: flags.trigger,
      };
      const specs = manualJobs(app.config, name, options, app.clock.now());
      if (specs.some((s) => s.name === 'sync.school' && s.payload.request.className)) {
        const connectors = new ConnectorCache(app.config);
        try {
          await checkManualJobs(
            { db: (await app.mirror()).db, connectorFor: (id) => connectors.connectorFor(id) },
            specs,
          );
        } finally {
          await connectors.close();
        }
      }
      // What the workers will parse, parsed here: a payload they would refuse is exit 2 now.
      const registry = jobRegistry();
      for (const spec of specs) registry.parse(spec.name, spec.payload);
      await withQueues(app, async (q) => {
        for (const spec of specs) await q.add(spec);
      });
      for (const spec of specs) {
        process.stdout.write(
          `queued ${spec.name} ${spec.id} on queue ${registry.queueOf(spec.name)}\n`,
        );
      }
      process.stdout.write('follow it with `ezh jobs list` and `ezh status`\n');
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
