import type { Command } from 'commander';
import { listArchives } from '../../archive/registry.js';
import { currentRunSql } from '../../checks/run-kind.js';
import { redisConnection, redisReachable } from '../../jobs/redis.js';
import { ServiceQueues } from '../../jobs/service-queues.js';
import { formatTable } from '../../mirror/stats.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import { instantToIso } from '../../platform/time.js';
import { countDoneScopes, streamStatsOf } from '../../sync/run-store.js';
import { displayedStatus, liveSyncRuns } from '../../sync/run-lease.js';
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
        const db = (await app.mirror()).db;
        const w = (s: string) => process.stdout.write(`${s}\n`);
        await printRuns(db, Math.max(1, Number(flags.runs) || 5), w);
        await printQueues(app, w);
        await printChecks(db, w);
        await printArchives(db, w);
        await printEvents(db, w);
      }),
    );
}

const iso = (v: unknown) =>
  v === null || v === undefined ? '-' : (instantToIso(Number(v)) ?? '-');

async function printRuns(db: SqlExecutor, n: number, w: (s: string) => void): Promise<void> {
  const runs = await db.query<Record<string, unknown>>(
    'SELECT id, school_id, mode, status, started_at, finished_at, scopes_done, scopes_total, error FROM sync_runs ORDER BY started_at DESC LIMIT ?',
    [n],
  );
  w('Sync runs');
  if (runs.length === 0) return w('  none yet (run `ezh sync`)\n');
  const live = await liveSyncRuns(db);
  for (const r of runs) {
    // A run that works (or was killed) has its progress in its checkpoints until it finishes.
    if (r.finished_at === null || r.finished_at === undefined) {
      r.scopes_done = await countDoneScopes(db, String(r.id));
    }
    r.status = displayedStatus(String(r.status), String(r.id), live);
  }
  w(
    formatTable(
      ['run', 'school', 'mode', 'status', 'started', 'finished', 'scopes'],
      runs.map((r) => [
        String(r.id),
        String(r.school_id),
        String(r.mode),
        String(r.status),
        iso(r.started_at),
        iso(r.finished_at),
        `${Number(r.scopes_done)}/${Number(r.scopes_total)}`,
      ]),
    ),
  );
  const last = runs[0]!;
  if (last.error) w(`  last run: ${String(last.error)}`);
  const owner = live.get(String(last.id));
  if (owner) w(`  last run is running: pid ${owner.pid} on host ${owner.host}`);
  else if (last.status === 'interrupted') {
    w('  last run was interrupted (its process is gone); the next `ezh sync` resumes it');
  } else if (last.status === 'held') {
    w(
      `  last run held back deletions (see the operator events); after checking the platform: ezh sync --school ${String(last.school_id)} --confirm-deletions`,
    );
  }
  const streams = await streamStatsOf(db, String(last.id));
  if (streams.length > 0) {
    w(`\nLast run per stream (${String(last.id)})`);
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

async function printChecks(db: SqlExecutor, w: (s: string) => void): Promise<void> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, school_id, as_of, status, finding_count, new_count, resolved_count FROM check_runs WHERE ${currentRunSql()} ORDER BY started_at DESC LIMIT 1`,
  );
  const r = rows[0];
  w('Last check run');
  w(
    r
      ? `  ${String(r.id)} school ${String(r.school_id)} as of ${iso(r.as_of)}: ${String(r.status)}, ${Number(r.finding_count)} findings (${Number(r.new_count)} new, ${Number(r.resolved_count)} resolved)\n`
      : '  none yet\n',
  );
}

/** The last archives as the archive registry lists them: file, kind, period, state, copies. */
async function printArchives(db: SqlExecutor, w: (s: string) => void): Promise<void> {
  w('Archives');
  const rows = (await listArchives(db)).slice(0, 5);
  if (rows.length === 0) return w('  none yet\n');
  for (const r of rows) {
    const size = r.size === null ? '' : `, ${(r.size / 2 ** 20).toFixed(1)} MiB`;
    w(
      `  ${r.fileName}: ${r.kind}${r.period ? ` «${r.period}»` : ''}, ${r.status}, created ${iso(r.createdAt)}${size}, ${r.paths.length} cop${r.paths.length === 1 ? 'y' : 'ies'}`,
    );
  }
  w('');
}

async function printEvents(db: SqlExecutor, w: (s: string) => void): Promise<void> {
  const rows = await db.query<Record<string, unknown>>(
    'SELECT at, kind, severity, school_id, message FROM operator_events WHERE acknowledged_at IS NULL ORDER BY at DESC LIMIT 20',
  );
  w('Open operator events');
  if (rows.length === 0) return w('  none');
  for (const r of rows) {
    w(
      `  ${iso(r.at)} ${String(r.severity)} ${String(r.kind)} (school ${String(r.school_id ?? '-')}): ${String(r.message)}`,
    );
  }
}
