import type { Command } from 'commander';
import { syncSchools } from '../../app/sync-service.js';
import { syncJobRegistry } from '../../jobs/host.js';
import { formatTable } from '../../mirror/stats.js';
import { redactString } from '../../platform/redact.js';
import type { SyncSummary } from '../../sync/engine.js';
import { syncSchool } from '../../jobs/sync-school.js';
import { withApp } from '../run-action.js';

interface SyncFlags {
  school?: string;
  full?: boolean;
  from?: string;
  to?: string;
  class?: string;
  reconcile?: boolean;
  currentWeek?: boolean;
  confirmDeletions?: boolean;
  wait?: boolean;
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
      '--current-week',
      "read the current week's lessons, marks and attendance only (what the daytime hourly job does)",
    )
    .option(
      '--confirm-deletions',
      'read every window and apply the deletions the mass-deletion guard held back, as far as the platform still confirms them',
    )
    .option('--wait', 'if another process syncs the school, wait for it instead of exiting 2')
    .action(
      withApp(async (app, flags: SyncFlags) => {
        const abort = new AbortController();
        const stop = () => {
          app.logger.warn('stopping after the current scope; the next `ezh sync` resumes the run');
          abort.abort();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        let outcome;
        try {
          outcome = await syncSchools(
            app,
            {
              schoolId: flags.school,
              full: flags.full,
              from: flags.from,
              to: flags.to,
              className: flags.class,
              reconcile: flags.reconcile,
              currentWeek: flags.currentWeek,
              wait: flags.wait,
              confirmDeletions: flags.confirmDeletions,
            },
            {
              run: (deps, options) => syncSchool({ ...deps, registry: syncJobRegistry() }, options),
              signal: abort.signal,
              onRunError: (err) => process.stderr.write(`ezh: ${redactString(err.message)}\n`),
              onSummary: (summary) => {
                printSummary(summary);
                if (abort.signal.aborted && summary.finishedAt === null) {
                  process.stdout.write(
                    `  interrupted: ${summary.scopesDone} of ${summary.scopesTotal} scopes done; run \`ezh sync\` again to resume the run\n`,
                  );
                }
              },
            },
          );
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
        const { failed, held } = outcome;
        // 3: finished, but deletions wait for an operator (monitoring must notice).
        return failed || abort.signal.aborted ? 1 : held ? 3 : 0;
      }),
    );
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
