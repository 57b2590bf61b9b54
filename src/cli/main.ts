#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command('ezh')
    .description('ezh: mirror, check and print a school e-journal (Dnevnik.ru)')
    .version(pkg.version)
    .option(
      '-c, --config <file>',
      'config file (default ./ezh.yaml if present, else built-in defaults)',
    )
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/**
 * The reader of our output went away (`ezh check | head -1`): that is not a failure of ours.
 * Stop quietly with 0 instead of an EPIPE stack.
 */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

async function main(): Promise<void> {
  exitQuietlyOnClosedPipe();
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; unknown options and commands are bad usage.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

await main();
