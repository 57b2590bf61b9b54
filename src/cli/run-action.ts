import type { Command } from 'commander';
import { EzhError, UsageError } from '../platform/errors.js';
import { redactString } from '../platform/redact.js';
import { createApp, globalOptions, type App } from './app.js';

/**
 * Wraps a command's work: builds the app from the global options, maps errors to exit codes
 * (0 ok, 1 failure, 2 bad usage or config with every problem listed) and always closes the app.
 * The work returns an exit code of its own when it wants one (e.g. `check --fail-on`).
 */
export function withApp<A extends unknown[]>(
  work: (app: App, ...args: A) => Promise<number | void>,
): (...args: [...A, Command]) => Promise<void> {
  return async (...args) => {
    const cmd = args[args.length - 1] as Command;
    let app: App | undefined;
    let code: number;
    try {
      app = createApp(globalOptions(cmd));
      code = (await work(app, ...(args.slice(0, -1) as A))) ?? 0;
    } catch (err) {
      code = reportError(err, app);
    } finally {
      await app?.close().catch(() => undefined);
    }
    process.exitCode = code;
  };
}

export function reportError(err: unknown, app?: App): number {
  if (err instanceof UsageError) {
    process.stderr.write(`ezh: ${err.message}\n`);
    for (const p of err.problems) process.stderr.write(`  - ${redactString(p)}\n`);
    return 2;
  }
  if (err instanceof EzhError) {
    process.stderr.write(`ezh: ${redactString(err.message)}\n`);
    app?.logger.debug({ err }, 'failure details');
    return err.exitCode;
  }
  process.stderr.write(
    `ezh: unexpected failure: ${redactString(err instanceof Error ? err.message : String(err))}\n`,
  );
  app?.logger.error({ err }, 'unexpected failure');
  return 1;
}
