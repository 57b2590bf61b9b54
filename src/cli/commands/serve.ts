import type { Command } from 'commander';
import { UsageError } from '../../platform/errors.js';
import { startSite } from '../../web/site.js';
import { withApp } from '../run-action.js';
import { serveDemo } from '../../demo/demo-site.js';
import { globalOptions } from '../app.js';
import { reportError } from '../run-action.js';

/**
 * `ezh serve`: the web site (issue 22) until SIGTERM/SIGINT; then it stops taking requests,
 * answers the ones under way and stops the scheduler (a job running then is finished first).
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the web site (web section of the config); --demo: over a demo school')
    .option('--host <host>', 'listen address (default web.host, 127.0.0.1)')
    .option('--port <port>', 'listen port (default web.port, 8080)')
    .option('--service', 'service mode: stateless, no scheduler, Bull Board (web.mode: service)')
    .option('--embedded', 'embedded mode: also run the schedules (web.mode: embedded)')
    .option('--demo', 'a sandbox school synced into ./data, with demo accounts for each role')
    .option('--data-dir <dir>', 'where --demo makes its mirror', './data')
    .action(async (flags: ServeFlags, cmd: Command) => {
      if (flags.demo) {
        try {
          const global = globalOptions(cmd);
          await serveDemo(
            { configFile: global.config, logLevel: global.logLevel },
            { port: parsePort(flags.port) ?? 8080, dataDir: flags.dataDir },
            (line: string) => process.stdout.write(`${line}\n`),
            stopSignal(),
          );
          process.exitCode = 0;
        } catch (err) {
          process.exitCode = reportError(err);
        }
        return;
      }
      await withApp(async (app) => {
        if (flags.service && flags.embedded) {
          throw new UsageError('--service and --embedded exclude each other');
        }
        const stopped = stopSignal();
        const site = await startSite(app, {
          host: flags.host,
          port: parsePort(flags.port),
          mode: flags.service ? 'service' : flags.embedded ? 'embedded' : undefined,
        });
        app.logger.info({ url: site.web.url, mode: site.mode }, 'web site started');
        process.stdout.write(`ezh serve: ${site.web.url} (${site.mode} mode)\n`);
        const signal = await stopped;
        app.logger.info({ signal }, 'stopping the web site');
        await site.close();
        app.logger.info('web site stopped');
      })(cmd);
    });
}

interface ServeFlags {
  host?: string;
  port?: string;
  service?: boolean;
  embedded?: boolean;
  demo?: boolean;
  dataDir: string;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`invalid --port "${value}": a whole number from 0 to 65535`);
  }
  return n;
}

/** Resolves with the signal's name on the first SIGTERM or SIGINT. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}
