import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger, setLogger, type Logger, type LogLevel } from '../platform/logger.js';
import { openMirror, type Mirror } from '../mirror/data-source.js';
import { sweepOnce } from '../platform/temp-dirs.js';

/**
 * What a command gets: the validated config, the logger, and the mirror opened on first use.
 * Commands are thin: parse options, call the module that does the work, print.
 */
export interface App {
  config: Config;
  configSource: string | null;
  logger: Logger;
  mirror(): Promise<Mirror>;
  close(): Promise<void>;
}

export interface GlobalOptions {
  config?: string;
  logLevel?: LogLevel;
}

export function createApp(global: GlobalOptions, overrides?: Record<string, unknown>): App {
  const { config, source } = loadConfig({ file: global.config, overrides });
  const level = global.logLevel ?? config.log.level;
  const pretty =
    config.log.format === 'auto' ? Boolean(process.stderr.isTTY) : config.log.format === 'pretty';
  const logger = createLogger({ level, pretty });
  setLogger(logger);
  // Scratch folders of ezh runs that were killed (mirror copies, browser profiles) go now.
  const swept = [tmpdir(), config.archive.workDir ?? tmpdir()].reduce(
    (n, d) => n + sweepOnce(d),
    0,
  );
  if (swept > 0) logger.info({ folders: swept }, 'removed scratch folders of killed ezh runs');
  let mirror: Promise<Mirror> | undefined;
  return {
    config,
    configSource: source,
    logger,
    mirror: () => (mirror ??= openMirror(config.database)),
    close: async () => {
      if (mirror) await (await mirror).close();
      logger.flush?.();
    },
  };
}

/** Global options of the root program, read from inside a sub-command's action. */
export function globalOptions(cmd: Command): GlobalOptions {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}
