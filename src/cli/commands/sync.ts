import type { Command } from 'commander';
import { ConnectorCache, syncJobRegistry } from '../../jobs/host.js';
import { formatTable } from '../../mirror/stats.js';
import { systemClock } from '../../platform/clock.js';
import { UsageError } from '../../platform/errors.js';
import { redactString } from '../../platform/redact.js';
import type { SyncSummary } from '../../sync/engine.js';
import { progressObserver } from '../../sync/progress.js';
import { syncSchool } from '../../jobs/sync-school.js';
import { withApp } from '../run-action.js';

interface SyncFlags {
  school?: string;
  full?: boolean;
  from?: string;
  to?: string;
  class?: string;
  reconcile?: boolean;
  confirmDeletions?: boolean;
  wait?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validate(flags: SyncFlags, schools: string[]): string[] {
  const problems: string[] = [];
  for (const key of ['from', 'to'] as const) {
    const v = flags[key];
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) {
      problems.push(`--${key}: must be a date YYYY-MM-DD`);
    }
  }
  if (flags.from && flags.to && flags.from > flags.to) {
    problems.push('--from: must not be after --to');
  }
  if (flags.full && (flags.from || flags.to)) {
    problems.push('--full: cannot be combined with --from/--to');
  }
  if (flags.confirmDeletions && (flags.from || flags.to || flags.reconcile)) {
    problems.push(
      '--confirm-deletions: reads every window itself; cannot be combined with --from/--to/--reconcile',
    );
  }
  if (flags.school && !schools.includes(flags.school)) {
    problems.push(`--school: ${flags.school} is not in the config's schools`);
  }
  if (schools.length === 0) {
    problems.push('schools: no school configured (add schools[].id to the config)');
  }
  return problems;
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('sync the platform into the mirror (embedded mode): incremental by default')
    .option('--school <id>', 'only this school (default: every configured school)')
    .option('--full', 'read every window of the school year')
    .option('--from <date>', 'backfill from this date (YYYY-MM-DD)')
    .option('--to <date>', 'backfill to this date (YYYY-MM-DD)')
    .option('--class <name>', 'only this class (e.g. 5А)')
    .option('--reconcile', 're-read older windows sooner (what the nightly job does)')
    .option(
      '--confirm-deletions',
      'read every window and apply the deletions the mass-deletion guard held back, as far as the platform still confirms them',
    )
    .option('--wait', 'if another process syncs the school, wait for it instead of exiting 2')
    .action(
      withApp(async (app, flags: SyncFlags) => {
        const ids = app.config.schools.map((s) => s.id);
        const problems = validate(flags, ids);
        if (problems.length > 0) throw new UsageError('bad sync options', problems);
        const mirror = await app.mirror();
        const connectors = new ConnectorCache(app.config);
        const abort = new AbortController();
        const stop = () => {
          app.logger.warn('stopping after the current scope; the next `ezh sync` resumes the run');
          abort.abort();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        let failed = false;
        let held = false;
        try {
          for (const schoolId of flags.school ? [flags.school] : ids) {
            const observer = progressObserver(app.config.sync.progress, app.logger);
            try {
              const summary = await syncOrSummary(() =>
                syncSchool(
                  {
                    db: mirror.db,
                    connector: connectors.connectorFor(schoolId),
                    clock: systemClock,
                    logger: app.logger,
                    config: app.config,
                    observer,
                    signal: abort.signal,
                    registry: syncJobRegistry(),
                  },
                  {
                    schoolId,
                    full: flags.full,
                    from: flags.from,
                    to: flags.to,
                    className: flags.class,
                    reconcile: flags.reconcile,
                    wait: flags.wait,
                    confirmDeletions: flags.confirmDeletions,
                  },
                ),
              );
              observer.stop();
              printSummary(summary);
              if (summary.status === 'held') held = true;
              else if (summary.status !== 'succeeded') failed = true;
              if (abort.signal.aborted && summary.finishedAt === null) {
                process.stdout.write(
                  `  interrupted: ${summary.scopesDone} of ${summary.scopesTotal} scopes done; run \`ezh sync\` again to resume the run\n`,
                );
              }
            } finally {
              observer.stop();
            }
            if (abort.signal.aborted) break;
          }
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await connectors.close();
        }
        // 3: finished, but deletions wait for an operator (monitoring must notice).
        return failed || abort.signal.aborted ? 1 : held ? 3 : 0;
      }),
    );
}

/**
 * A run that failed still has a summary (what was done, the error): it is printed like any other
 * run's, then the command goes on with the next school and exits 1. Errors without a run (bad
 * usage, another process holds the school) go to the usual error path (exit 2).
 */
async function syncOrSummary(sync: () => Promise<SyncSummary>): Promise<SyncSummary> {
  try {
    return await sync();
  } catch (err) {
    const summary = (err as { summary?: SyncSummary }).summary;
    if (!summary || err instanceof UsageError) throw err;
    process.stderr.write(`ezh: ${redactString((err as Error).message)}\n`);
    return summary;
  }
}

export function printSummary(s: SyncSummary): void {
  const out = process.stdout;
  out.write(
    `School ${s.schoolId}: run ${s.runId} (${s.mode}${s.resumed ? ', resumed' : ''}) ${s.status}, ` +
      `${s.scopesDone}/${s.scopesTotal} scopes, ${s.requests} requests\n`,
  );
  out.write(
    `${formatTable(
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
      ],
      s.streams.map((r) => [
        r.stream,
        r.requests,
        r.retries,
        r.inserted,
        r.changed,
        r.unchanged,
        r.deleted,
        r.quarantined,
        r.errors,
      ]),
    )}\n`,
  );
  for (const r of s.refusals) {
    out.write(
      `  held back: ${r.missing} of ${r.live} ${r.stream} rows would be deleted in ${r.scope}${r.reason ? ` (${HOLD_REASONS[r.reason] ?? r.reason})` : ''}\n`,
    );
  }
  if (s.status === 'held') {
    out.write(
      `  deletions were held back: check the platform; if the records are really gone, run \`ezh sync --school ${s.schoolId} --confirm-deletions\`\n`,
    );
  }
  if (s.error) out.write(`  ${s.error}\n`);
}

const HOLD_REASONS: Record<string, string> = {
  'scope-emptied': 'the platform returned none of them',
  'parent-emptied': 'a lesson would lose all of its rows',
  share: 'too large a share at once',
  window: 'too large a share within the guard window',
};
