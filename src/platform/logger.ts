import { pino, type Logger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { redactString, redactValue } from './redact.js';

export type { Logger } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  /** Pretty, human-readable lines (the default on a terminal); JSON lines otherwise. */
  pretty?: boolean;
  /** Where lines go; stderr by default so that stdout stays clean for `--format json`. */
  destination?: DestinationStream;
}

/**
 * The process logger. Every object and every message passes through redaction before it is
 * serialised, so a token or an e-mail address cannot reach a log line whatever the call site logs.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const usePretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const hooks = {
    logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
      method.apply(
        this,
        args.map((a) => (typeof a === 'string' ? redactString(a) : redactValue(a))),
      );
    },
  };
  const base = {
    level,
    hooks,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: (e: unknown) => redactValue(e) },
    formatters: {
      bindings: (b: Record<string, unknown>) => redactValue(b) as Record<string, unknown>,
    },
  };
  const destination =
    options.destination ??
    (usePretty
      ? pretty({
          destination: 2,
          colorize: true,
          ignore: 'pid,hostname',
          translateTime: 'SYS:HH:MM:ss',
          sync: true,
        })
      : pino.destination({ dest: 2, sync: true }));
  return pino(base, scrubbing(destination));
}

/**
 * The last line of defence: every serialised line is scrubbed once more before it is written, so
 * a secret that reached pino by a path the hooks do not see (child bindings, a serializer of a
 * library) still never reaches the terminal or a log file.
 */
function scrubbing(destination: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      return destination.write(redactString(line));
    },
  } as DestinationStream;
}

let current: Logger | undefined;

/** The logger of this process; commands replace it once the config is read. */
export function getLogger(): Logger {
  current ??= createLogger({
    level: (process.env.EZH_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  });
  return current;
}

export function setLogger(logger: Logger): void {
  current = logger;
}
