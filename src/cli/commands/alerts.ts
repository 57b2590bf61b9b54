import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  sendAlerts,
  sendReports,
  type AlertRunResult,
  type DocumentRenderer,
  type DocumentRunResult,
  type ReportKind,
} from '../../alerts/index.js';
import { UsageError } from '../../platform/errors.js';
import { renderDocumentById } from '../../app/documents-service.js';
import { asOfInstant, loadSchoolContexts } from '../../mirror/school-context.js';
import type { App } from '../app.js';
import { withApp } from '../run-action.js';

interface SendOptions {
  asOf?: string;
  dryRun?: boolean;
  school?: string;
}

interface ReportsOptions extends SendOptions {
  kind: ReportKind;
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
        const mirror = await app.mirror();
        const result = await sendAlerts(
          { db: mirror.db, config: app.config, logger: app.logger },
          { asOf: await asOf(app, opts), dryRun: opts.dryRun ?? false, schoolId: opts.school },
        );
        printAlerts(result);
        return result.failed > 0 ? 1 : 0;
      }),
    );
  alerts
    .command('reports')
    .description(
      'mail the audit note or the period results as PDF to their subscribers, once per edition',
    )
    .addOption(
      new Option('--kind <kind>', 'document').choices(['audit', 'performance']).default('audit'),
    )
    .option('--period <name>', 'reporting period, e.g. "1 четверть" (performance)')
    .option('--file <pdf>', 'send this already rendered PDF instead of rendering it')
    .option('--as-of <iso>', 'edition as of this instant (default now)')
    .option('--dry-run', 'print who would receive it; render, send and record nothing')
    .option('--school <id>', 'one school only')
    .action(
      withApp(async (app, opts: ReportsOptions) => {
        const mirror = await app.mirror();
        const results = await sendReports(
          { db: mirror.db, config: app.config, logger: app.logger, render: rendererFor(app, opts) },
          {
            kind: opts.kind,
            period: opts.period,
            asOf: await asOf(app, opts),
            dryRun: opts.dryRun ?? false,
            schoolId: opts.school,
          },
        );
        printDocuments(results);
        return results.some((r) => r.deliveries.some((d) => d.status === 'failed')) ? 1 : 0;
      }),
    );
}

/** `--as-of` in the zone of the school(s) concerned (SchoolContext); default now. */
async function asOf(app: App, opts: SendOptions): Promise<number> {
  if (opts.asOf === undefined) return Date.now();
  const schools = await loadSchoolContexts((await app.mirror()).db, app.config);
  return asOfInstant(opts.asOf, () => schools.zoneFor(opts.school));
}

/** The PDF to mail: `--file` as given, or rendered by the reports module (one browser per call). */
function rendererFor(app: App, opts: ReportsOptions): DocumentRenderer {
  return async (kind, { schoolId, asOf, period }) => {
    if (opts.file) {
      const path = resolve(opts.file);
      if (!existsSync(path)) throw new UsageError(`--file not found: ${opts.file}`);
      return path;
    }
    const params = kind === 'audit' ? { asOf } : { period: period ?? '' };
    return (await renderDocumentById(app, kind, params, { schoolId })).path;
  };
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
