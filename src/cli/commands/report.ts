import type { Command } from 'commander';
import { UsageError } from '../../platform/errors.js';
import {
  renderActivity,
  renderAudit,
  renderJournal,
  renderPerformance,
} from '../../reports/index.js';
import { withApp } from '../run-action.js';

/** `ezh report journal|audit|performance|activity`: render one official document as PDF. */

interface Common {
  out?: string;
  school?: string;
}

const done = (path: string): void => {
  process.stdout.write(`${path}\n`);
};

export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description('render official documents as PDF (A4, Russian)');

  report
    .command('journal')
    .description('printed class journal for a period or the whole year')
    .requiredOption('--class <name>', 'class name, e.g. 5А')
    .option('--period <name>', 'reporting period name, e.g. "1 четверть"')
    .option('--year', 'the whole school year')
    .option('--out <file>', 'output PDF (default <outDir>/journal-<school>-<class>-<period>.pdf)')
    .option('--school <id>', 'platform school id (default: the first configured school)')
    .action(
      withApp(async (app, o: Common & { class: string; period?: string; year?: boolean }) => {
        if (Boolean(o.period) === Boolean(o.year)) {
          throw new UsageError('give exactly one of --period NAME or --year');
        }
        done(
          await renderJournal(app, {
            className: o.class,
            period: o.period ?? null,
            out: o.out,
            schoolId: o.school,
          }),
        );
      }),
    );

  report
    .command('audit')
    .description('compliance note («справка по итогам проверки ЭЖ») from the latest check run')
    .option('--as-of <iso>', 'use the latest check run at or before this time (default now)')
    .option(
      '--from <iso>',
      "start of the checked window, e.g. the previous note's date (default 10 days before --as-of)",
    )
    .option('--out <file>', 'output PDF (default <outDir>/audit-<school>-<date>.pdf)')
    .option('--school <id>', 'platform school id')
    .action(
      withApp(async (app, o: Common & { asOf?: string; from?: string }) => {
        done(
          await renderAudit(app, { asOf: o.asOf, from: o.from, out: o.out, schoolId: o.school }),
        );
      }),
    );

  report
    .command('performance')
    .description('period results: успеваемость, качество, СОУ, средний балл')
    .requiredOption('--period <name>', 'reporting period name, e.g. "1 четверть"')
    .option('--out <file>', 'output PDF (default <outDir>/performance-<school>-<period>.pdf)')
    .option('--school <id>', 'platform school id')
    .action(
      withApp(async (app, o: Common & { period: string }) => {
        done(await renderPerformance(app, { period: o.period, out: o.out, schoolId: o.school }));
      }),
    );

  report
    .command('activity')
    .description("teachers' monthly activity in the journal, from the mirror's history")
    .requiredOption('--month <yyyy-mm>', 'month, e.g. 2026-10')
    .option('--out <file>', 'output PDF (default <outDir>/activity-<school>-<month>.pdf)')
    .option('--school <id>', 'platform school id')
    .action(
      withApp(async (app, o: Common & { month: string }) => {
        done(await renderActivity(app, { month: o.month, out: o.out, schoolId: o.school }));
      }),
    );
}
