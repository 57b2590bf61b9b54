import { Option, type Command } from 'commander';
import { formatFindingsTable } from '../../checks/format-table.js';
import { checksAsOf, runChecksForApp } from '../../app/checks-service.js';
import { severityRank, SEVERITIES, type Severity } from '../../checks/rule.js';
import { withApp } from '../run-action.js';

interface CheckCliOptions {
  asOf?: string;
  rule?: string[];
  class?: string[];
  school?: string;
  format: 'table' | 'json';
  failOn?: Severity;
}

/**
 * `ezh check`: run the compliance rules over the mirror as of an instant, store the run, print
 * the findings (a table grouped by class and teacher, or one JSON object), and with `--fail-on`
 * exit 1 when a finding reaches that severity.
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('run the compliance rules over the mirror and print the findings')
    .option(
      '--as-of <iso>',
      'evaluate as of this instant (ISO; a local time is read in the school zone); default now',
    )
    .option('--rule <id...>', 'run only these rules (repeatable)')
    .option(
      '--class <name...>',
      'only these classes, by name (e.g. 5А), or subgroups (e.g. "5А / Английский язык, гр. 1")',
    )
    .option('--school <id>', 'one school only')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 if a finding has at least this severity (default: checks.failOn)',
      ).choices([...SEVERITIES]),
    )
    .action(
      withApp(async (app, opts: CheckCliOptions) => {
        const { report, runs } = await runChecksForApp(app, {
          asOf: await checksAsOf(app, opts.asOf, opts.school),
          rules: opts.rule,
          classes: opts.class,
          school: opts.school,
        });
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          process.stdout.write(`${formatFindingsTable(runs)}\n`);
        }
        const failOn = opts.failOn ?? app.config.checks.failOn;
        if (failOn === null) return 0;
        return report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn))
          ? 1
          : 0;
      }),
    );
}
