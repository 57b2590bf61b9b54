import type { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../config/schema.js';
import { createDnevnikConnector } from '../../connectors/dnevnik/dnevnik.connector.js';
import { syncSchool } from '../../jobs/sync-school.js';
import { openMirror } from '../../mirror/data-source.js';
import { UsageError } from '../../platform/errors.js';
import { ManualClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { startSandbox, type SandboxServer } from '../../sandbox/index.js';
import { RECORDED_COSTS } from '../../sync/capacity-costs.js';
import {
  formatDuration,
  planCapacity,
  type CapacityPlan,
  type SyncCosts,
} from '../../sync/capacity.js';
import type { SyncOptions } from '../../sync/request.js';
import { reportError } from '../run-action.js';

interface CapacityFlags {
  schools: string;
  classes: string;
  weeks: string;
  rate: string;
  workers: string;
  jobs: string;
  runs: string;
  measure?: boolean;
  workerRate?: string;
  fullCost?: string;
  nightlyCost?: string;
  format: string;
}

/**
 * `ezh capacity`: how long the syncs of N schools take with a per-token rate limit and a number
 * of workers (a full first sync, a nightly reconciliation, a school day of hourly runs), from the
 * requests per class the sync bench recorded, or measured now against the sandbox (`--measure`).
 */
export function registerCapacityCommand(program: Command): void {
  program
    .command('capacity')
    .description(
      'plan capacity: how long a first sync, a nightly reconciliation and a day of hourly syncs take for N schools',
    )
    .option('--schools <list>', 'numbers of schools, comma-separated', '10,50,200')
    .option('--classes <n>', 'classes per school', '48')
    .option('--weeks <n>', 'weeks of the school year a first sync reads', '39')
    .option('--rate <r>', 'requests per second per token (per school)', '4')
    .option('--workers <n>', 'worker processes', '2')
    .option('--jobs <n>', 'sync jobs per worker at once (jobs.concurrency.sync)', '4')
    .option('--runs <n>', 'daytime runs per school day', '15')
    .option('--measure', 'measure the requests per class against the sandbox now (about a minute)')
    .option('--full-cost <n>', 'requests per class-week of a first sync, instead of the recorded')
    .option('--nightly-cost <n>', 'requests per class of a nightly run, instead of the recorded')
    .option(
      '--worker-rate <r>',
      'requests per second one worker processes on your machines, instead of the recorded (an idle 2-core machine)',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: CapacityFlags) => {
      try {
        const schools = flags.schools.split(',').map((s) => Number(s.trim()));
        const n = (name: string, v: string, min: number) => {
          const x = Number(v);
          if (!Number.isFinite(x) || x < min) {
            problems.push(`--${name}: expected a number >= ${min}, got "${v}"`);
          }
          return x;
        };
        const problems: string[] = [];
        if (schools.some((s) => !Number.isInteger(s) || s < 1)) {
          problems.push(`--schools: expected whole numbers >= 1, got "${flags.schools}"`);
        }
        const base = {
          classesPerSchool: n('classes', flags.classes, 1),
          weeks: n('weeks', flags.weeks, 1),
          rateLimit: n('rate', flags.rate, 0.01),
          workers: n('workers', flags.workers, 1),
          jobsPerWorker: n('jobs', flags.jobs, 1),
          hourlyRuns: n('runs', flags.runs, 0),
        };
        if (flags.format !== 'text' && flags.format !== 'json') {
          problems.push(`--format: expected text or json, got "${flags.format}"`);
        }
        if (problems.length > 0) throw new UsageError('bad capacity options', problems);
        const fullCost = flags.fullCost === undefined ? null : n('full-cost', flags.fullCost, 0);
        const nightlyCost =
          flags.nightlyCost === undefined ? null : n('nightly-cost', flags.nightlyCost, 0);
        const workerRate =
          flags.workerRate === undefined ? null : n('worker-rate', flags.workerRate, 0.01);
        if (problems.length > 0) throw new UsageError('bad capacity options', problems);
        const measured = flags.measure ? await measureCosts() : RECORDED_COSTS;
        const costs: SyncCosts = {
          ...measured,
          ...(fullCost === null ? {} : { fullPerClassWeek: fullCost }),
          ...(nightlyCost === null ? {} : { nightlyPerClass: nightlyCost }),
          ...(workerRate === null ? {} : { workerRequestsPerSecond: workerRate }),
          ...(fullCost === null && nightlyCost === null && workerRate === null
            ? {}
            : { source: `${measured.source}, with costs given on the command line` }),
        };
        const plans = schools.map((s) => planCapacity({ ...base, schools: s }, costs));
        process.stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify({ costs, plans }, null, 2)}\n`
            : formatPlans(plans, costs),
        );
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}

export function formatPlans(plans: readonly CapacityPlan[], costs: SyncCosts): string {
  const d = plans[0]!.deployment;
  const lines = [
    `${d.classesPerSchool} classes per school, ${d.weeks} weeks, ${d.rateLimit} requests/s per token, ${d.workers} worker(s) x ${d.jobsPerWorker} jobs`,
    `costs (${costs.source}): first sync ${costs.fullPerClassWeek} requests per class-week, nightly ${costs.nightlyPerClass} and hourly run ${costs.hourlyPerClass} per class, one worker ${costs.workerRequestsPerSecond} requests/s`,
    '',
    'schools | first sync | nightly reconciliation | one hourly round | school day (busy) | bound by',
  ];
  for (const p of plans) {
    lines.push(
      [
        p.deployment.schools,
        formatDuration(p.fullSync.seconds),
        formatDuration(p.nightly.seconds),
        `${formatDuration(p.hourlyRound.seconds)}${p.hourlyFits ? '' : ' (does not fit in the hour)'}`,
        formatDuration(p.schoolDaySeconds),
        p.fullSync.boundBy,
      ].join(' | '),
    );
  }
  return `${lines.join('\n')}\n`;
}

const HOUR = 3_600_000;

/**
 * The costs measured now on the sandbox's large school, as `bench/sync-day` does: a full first
 * sync at its T0 (Monday 07:00), a daytime run an hour later and the nightly run after the day.
 */
async function measureCosts(): Promise<SyncCosts> {
  const sb = await startSandbox({ size: 'large', seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'ezh-capacity-'));
  const mirror = await openMirror({
    type: 'sqlite',
    path: join(dir, 'ezh.sqlite'),
    schema: 'public',
  });
  try {
    const school = sb.schools[0]!;
    const t0 = sb.now();
    const full = await timedSync(sb, mirror.db, t0, {});
    sb.advanceTo(t0 + HOUR);
    const hourly = await timedSync(sb, mirror.db, t0 + HOUR, { currentWeek: true });
    sb.advanceTo(t0 + 19.5 * HOUR);
    const nightly = await timedSync(sb, mirror.db, t0 + 19.5 * HOUR, { reconcile: true });
    const counts = await mirror.db.query<{ classes: number; a: string; b: string }>(
      `SELECT (SELECT count(*) FROM classes WHERE kind = 'class') AS classes,
              (SELECT min(start_date) FROM reporting_periods) AS a,
              (SELECT max(finish_date) FROM reporting_periods) AS b`,
    );
    const classes = Number(counts[0]!.classes);
    const weeks = Math.ceil(
      (Date.parse(counts[0]!.b) - Date.parse(counts[0]!.a) + 86_400_000) / (7 * 86_400_000),
    );
    const round2 = (x: number) => Math.round(x * 100) / 100;
    return {
      fullPerClassWeek: round2(full.requests / (classes * weeks)),
      nightlyPerClass: round2(nightly.requests / classes),
      hourlyPerClass: round2(hourly.requests / classes),
      perSchool: RECORDED_COSTS.perSchool,
      workerRequestsPerSecond: Math.round(full.requests / (full.ms / 1000)),
      source: `measured now on the sandbox's large school (${school.name})`,
    };
  } finally {
    await mirror.close();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timedSync(
  sb: SandboxServer,
  db: Awaited<ReturnType<typeof openMirror>>['db'],
  at: number,
  options: Omit<SyncOptions, 'schoolId'>,
): Promise<{ requests: number; ms: number }> {
  const school = sb.schools[0]!;
  const config = configSchema.parse({
    platform: { baseUrl: sb.url, requestsPerSecond: 1000, concurrency: 8 },
    schools: [{ id: school.id, token: school.token, timeZone: school.timeZone }],
    jobs: { afterSync: [], concurrency: { sync: 4 } },
    log: { level: 'silent' },
  });
  const connector = createDnevnikConnector({
    baseUrl: sb.url,
    token: school.token,
    requestsPerSecond: 1000,
    concurrency: 8,
    timeoutMs: 30_000,
    maxRetries: 5,
  });
  const before = sb.requestCount();
  const started = performance.now();
  try {
    const summary = await syncSchool(
      {
        db,
        connector,
        clock: new ManualClock(at),
        logger: createLogger({ level: 'silent' }),
        config,
      },
      { ...options, schoolId: school.id },
    );
    if (summary.status !== 'succeeded') {
      throw new Error(`sandbox sync ${summary.status}: ${summary.error}`);
    }
    return { requests: sb.requestCount() - before, ms: performance.now() - started };
  } finally {
    await connector.close();
  }
}
