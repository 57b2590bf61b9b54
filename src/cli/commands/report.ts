import type { Command } from 'commander';
import { renderDocumentById } from '../../app/documents-service.js';
import type { DocumentRegistry } from '../../reports/define-document.js';
import { DOCUMENTS } from '../../reports/registry.js';
import { withApp } from '../run-action.js';

/**
 * `ezh report <document>`: render one official document as PDF. One subcommand per document of
 * the registry, with the document's own options plus `--out` and `--school`; prints the path.
 */
export function registerReportCommand(
  program: Command,
  registry: DocumentRegistry = DOCUMENTS,
): void {
  const report = program
    .command('report')
    .description('render official documents as PDF (A4, Russian)');

  for (const definition of registry.all) {
    const cmd = report.command(definition.id).description(definition.cli.description);
    for (const o of definition.cli.options) {
      if (o.required) cmd.requiredOption(o.flags, o.description);
      else cmd.option(o.flags, o.description);
    }
    cmd
      .option('--out <file>', `output PDF (default <outDir>/${definition.cli.outName})`)
      .option('--school <id>', 'platform school id (default: the only school)')
      .action(
        withApp(async (app, o: Record<string, unknown> & { out?: string; school?: string }) => {
          const params = definition.cli.params(o);
          const result = await renderDocumentById(
            app,
            definition.id,
            params,
            {
              out: o.out,
              schoolId: o.school,
            },
            registry,
          );
          process.stdout.write(`${result.path}\n`);
        }),
      );
  }
}
