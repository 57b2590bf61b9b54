import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runDemo } from '../../demo/run-demo.js';
import { globalOptions } from '../app.js';
import { reportError } from '../run-action.js';

/**
 * `ezh demo`: the embedded main job on the built-in defaults against the built-in sandbox
 * platform; everything it makes goes into the output directory (`./out`).
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start the sandbox platform, sync it, check it and render every document into ./out',
    )
    .option('--seed <seed>', 'sandbox school generator seed', '1')
    .option(
      '--days <n>',
      'school days of sandbox timeline to sync through after the first sync',
      '7',
    )
    .option('--data-dir <dir>', "where the demo's own mirror file is made", './data')
    .action(async (opts: { seed: string; days: string; dataDir: string }, cmd: Command) => {
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 0 || days > 60) {
        process.stderr.write('ezh: --days must be a whole number from 0 to 60\n');
        process.exitCode = 2;
        return;
      }
      try {
        const global = globalOptions(cmd);
        await runDemo(
          { configFile: global.config, logLevel: global.logLevel },
          { seed: opts.seed, days, dataDir: resolve(opts.dataDir) },
          (line) => process.stdout.write(`${line}\n`),
        );
        process.exitCode = 0;
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
