import type { Command } from 'commander';
import { withApp } from '../run-action.js';
import { redactValue } from '../../platform/redact.js';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('validate the configuration and print it with defaults applied (secrets redacted)')
    .action(
      withApp(async (app) => {
        process.stdout.write(`# source: ${app.configSource ?? 'built-in defaults'}\n`);
        process.stdout.write(`${JSON.stringify(redactValue(app.config), null, 2)}\n`);
      }),
    );
}
