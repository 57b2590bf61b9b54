import type { Command } from 'commander';
import { StatusService } from '../../app/status-service.js';
import { redisConnection, redisReachable } from '../../jobs/redis.js';
import { ServiceQueues } from '../../jobs/service-queues.js';
import { formatTable } from '../../mirror/stats.js';
import { instantToIso } from '../../platform/time.js';
import { withApp } from '../run-action.js';
import type { App } from '../app.js';

/** `ezh status`: last sync runs (per stream), queue depth, last check run, archive state, open events. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('last sync runs, queue depth, last check run, archive state, open operator events')
    .option('--runs <n>', 'sync runs to show', '5')
    .action(
      withApp(async (app, flags: { runs: string }) => {
        const status = new StatusService((await app.mirror()).db);
        const w = (s: string) => process.stdout.write(`${s}\n`);
        await printRuns(status, Math.max(1, Number(flags.runs) || 5), w);
        await printQueues(app, w);
        await printChecks(status, w);
        await printArchives(status, w);
        await printEvents(status, w);
      }),
    );
}

const iso = (v: number | null) => (v === null ? '-' : (instantToIso(v) ?? '-'));

async function printRuns(status: StatusService, n: number, w: (s: string) => void): Promise<void> {
  const { runs, lastOwner: owner, lastStreams: streams } = await status.syncRuns(n);
  w('Sync runs');
  if (runs.length === 0) return w('  none yet (run `ezh sync`)\n');
  w(
    formatTable(
      ['run', 'school', 'mode', 'status', 'started', 'finished', 'scopes'],
      runs.map((r) => [
        r.id,
        r.schoolId,
        r.mode,
        r.status,
        iso(r.startedAt),
        iso(r.finishedAt),
        `${r.scopesDone}/${r.scopesTotal}`,
      ]),
    ),
  );
  const last = runs[0]!;
  if (last.error) w(`  last run: ${last.error}`);
  if (owner) w(`  last run is running: pid ${owner.pid} on host ${owner.host}`);
  else if (last.status === 'interrupted') {
    w('  last run was interrupted (its process is gone); the next `ezh sync` resumes it');
  } else if (last.status === 'held') {
    w(
      `  last run held back deletions (see the operator events); after checking the platform: ezh sync --school ${last.schoolId} --confirm-deletions`,
    );
  }
  if (streams.length > 0) {
    w(`\nLast run per stream (${last.id})`);
    w(
      formatTable(
        [
          'stream',
          'requests',
          'retries',
          'inserted',
          'changed',
          'unchanged',
          'deleted',
          'quarantined',
          'errors',
          'ms',
        ],
        streams.map((s) => [
          s.stream,
          s.requests,
          s.retries,
          s.inserted,
          s.changed,
          s.unchanged,
          s.deleted,
          s.quarantined,
          s.errors,
          s.durationMs,
        ]),
      ),
    );
  }
  w('');
}

async function printQueues(app: App, w: (s: string) => void): Promise<void> {
  w('Queues (service mode)');
  if (!(await redisReachable(app.config.redis))) {
    return w(
      `  Redis not reachable at the configured redis.url: no queue depth (embedded mode needs none)\n`,
    );
  }
  const connection = redisConnection(app.config.redis);
  const queues = new ServiceQueues(connection, app.config);
  try {
    const depth = await queues.depth();
    w(
      formatTable(
        ['queue', 'waiting', 'active', 'delayed', 'failed', 'waiting-children'],
        Object.entries(depth).map(([k, c]) => [
          k,
          c.waiting ?? 0,
          c.active ?? 0,
          c.delayed ?? 0,
          c.failed ?? 0,
          c['waiting-children'] ?? 0,
        ]),
      ),
    );
  } finally {
    await queues.close();
    connection.disconnect();
  }
  w('');
}

async function printChecks(status: StatusService, w: (s: string) => void): Promise<void> {
  const r = await status.lastCheckRun();
  w('Last check run');
  w(
    r
      ? `  ${r.id} school ${r.schoolId} as of ${iso(r.asOf)}: ${r.status}, ${r.findingCount} findings (${r.newCount} new, ${r.resolvedCount} resolved)\n`
      : '  none yet\n',
  );
}

/** The last archives as the archive registry lists them: file, kind, period, state, copies. */
async function printArchives(status: StatusService, w: (s: string) => void): Promise<void> {
  w('Archives');
  const rows = await status.archives(5);
  if (rows.length === 0) return w('  none yet\n');
  for (const r of rows) {
    const size = r.size === null ? '' : `, ${(r.size / 2 ** 20).toFixed(1)} MiB`;
    w(
      `  ${r.fileName}: ${r.kind}${r.period ? ` «${r.period}»` : ''}, ${r.status}, created ${iso(r.createdAt)}${size}, ${r.paths.length} cop${r.paths.length === 1 ? 'y' : 'ies'}`,
    );
  }
  w('');
}

async function printEvents(status: StatusService, w: (s: string) => void): Promise<void> {
  const rows = await status.openEvents(20);
  w('Open operator events');
  if (rows.length === 0) return w('  none');
  for (const r of rows) {
    w(`  ${iso(r.at)} ${r.severity} ${r.kind} (school ${r.schoolId ?? '-'}): ${r.message}`);
  }
}
