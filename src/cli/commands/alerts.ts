import { Option, type Command } from 'commander';
import type { AlertRunResult, DocumentRunResult } from '../../alerts/index.js';
import { alertsAsOf, sendFindingAlerts, sendSubscribedReports } from '../../app/alerts-service.js';
import { subscribableDocumentIds } from '../../app/documents-service.js';
import { withApp } from '../run-action.js';

interface SendOptions {
  asOf?: string;
  dryRun?: boolean;
  school?: string;
}

interface ReportsOptions extends SendOptions {
  kind: string;
  period?: string;
  file?: string;
}

/**
 * `ezh alerts send` runs the scheduled digest by hand; `ezh alerts reports` mails a document to
 * its subscribers. Addresses are printed on stdout for the operator and never logged.
 */
export function registerAlertsCommand(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('e-mail digests of open findings and scheduled documents');
  alerts
    .command('send')
    .description(
      'send each recipient the findings not yet sent to them (and reminders that are due)',
    )
    .option('--as-of <iso>', 'evaluate as of this instant (default now)')
    .option('--dry-run', 'print what would go to whom; send and record nothing')
    .option('--school <id>', 'one school only')
    .action(
      withApp(async (app, opts: SendOptions) => {
        const result = await sendFindingAlerts(app, {
          asOf: await alertsAsOf(app, opts.asOf, opts.school),
          dryRun: opts.dryRun ?? false,
          schoolId: opts.school,
        });
        printAlerts(result);
        return result.failed > 0 ? 1 : 0;
      }),
    );
  alerts
    .command('reports')
    .description(
      'mail a subscribed document (the audit note by default) as PDF to its subscribers, once per edition',
    )
    .addOption(
      new Option('--kind <kind>', 'the document (the printed documents people subscribe to)')
        .choices(subscribableDocumentIds())
        .default('audit'),
    )
    .option('--period <name>', 'reporting period, e.g. "1 четверть" (performance)')
    .option('--file <pdf>', 'send this already rendered PDF instead of rendering it')
    .option('--as-of <iso>', 'edition as of this instant (default now)')
    .option('--dry-run', 'print who would receive it; render, send and record nothing')
    .option('--school <id>', 'one school only')
    .action(
      withApp(async (app, opts: ReportsOptions) => {
        const results = await sendSubscribedReports(app, {
          kind: opts.kind,
          period: opts.period,
          asOf: await alertsAsOf(app, opts.asOf, opts.school),
          dryRun: opts.dryRun ?? false,
          schoolId: opts.school,
          file: opts.file,
        });
        printDocuments(results);
        return results.some((r) => r.deliveries.some((d) => d.status === 'failed')) ? 1 : 0;
      }),
    );
}

function printAlerts(result: AlertRunResult): void {
  const out = process.stdout;
  out.write(
    `Alerts as of ${new Date(result.asOf).toISOString()}${result.dryRun ? ' (dry run: nothing sent)' : ''}\n`,
  );
  if (result.digests.length === 0) out.write('Nothing to send.\n');
  for (const d of result.digests) {
    const rules = Object.entries(d.rules)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ');
    const who = `${d.recipient.name}${d.recipient.email ? ` <${d.recipient.email}>` : ''}`;
    out.write(
      `  [${d.status}] ${d.channel} ${who}: new ${d.newCount}, reminders ${d.reminderCount} (${rules})` +
        `${d.error ? ` — ${d.error}` : ''}${d.path ? ` → ${d.path}` : ''}\n`,
    );
  }
  if (result.noAddress > 0) {
    out.write(
      `${result.noAddress} recipient(s) have no e-mail address: add them to alerts.recipients.\n`,
    );
  }
  for (const [rule, n] of Object.entries(result.unrouted)) {
    out.write(`Not routed (no audience): ${rule} ${n}\n`);
  }
  out.write(`Sent ${result.sent}, failed ${result.failed}.\n`);
}

function printDocuments(results: DocumentRunResult[]): void {
  for (const r of results) {
    process.stdout.write(
      `${r.document} ${r.edition} (school ${r.schoolId}): already sent to ${r.alreadySent}\n`,
    );
    for (const d of r.deliveries) {
      const who = `${d.recipient.name}${d.recipient.email ? ` <${d.recipient.email}>` : ''}`;
      process.stdout.write(
        `  [${d.status}] ${d.channel} ${who}${d.error ? ` — ${d.error}` : ''}\n`,
      );
    }
  }
}
