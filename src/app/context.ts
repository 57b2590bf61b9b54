import { tmpdir } from 'node:os';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { createLogger, setLogger, type Logger, type LogLevel } from '../platform/logger.js';
import { openMirror, type Mirror } from '../mirror/data-source.js';
import { sweepOnce } from '../platform/temp-dirs.js';

/**
 * The composition root's product: what every service of ezh gets, whichever door (the CLI, a job,
 * the demo, the web) called it. Built once per process by the door; services never build their own
 * (so a job and `ezh check` read the same settings, clock and mirror and cannot disagree).
 */
export interface AppContext {
  /** The validated configuration. */
  config: Config;
  /** Where the config came from (a file path), null: defaults and environment only. */
  configSource: string | null;
  logger: Logger;
  /** The process's "now": the system clock, or the sandbox's in the demo and tests. */
  clock: Clock;
  /** The mirror, opened on first use and shared by every service of the process. */
  mirror(): Promise<Mirror>;
  /** Closes the mirror (if opened) and flushes the log; the door that built the context calls it. */
  close(): Promise<void>;
}

export interface ContextOptions {
  /** Config file (`--config`); default: the usual search (config/load.ts). */
  configFile?: string;
  logLevel?: LogLevel;
  /** Values that win over the file and the environment (the demo's sandbox settings). */
  overrides?: Record<string, unknown>;
  clock?: Clock;
}

export function createAppContext(options: ContextOptions = {}): AppContext {
  const { config, source } = loadConfig({ file: options.configFile, overrides: options.overrides });
  const level = options.logLevel ?? config.log.level;
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
    clock: options.clock ?? systemClock,
    mirror: () => (mirror ??= openMirror(config.database)),
    close: async () => {
      if (mirror) await (await mirror).close();
      logger.flush?.();
    },
  };
}
