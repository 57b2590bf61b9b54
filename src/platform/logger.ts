import { pino, type Logger, type DestinationStream } from 'pino';
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
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
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
    formatters: { bindings: (b: Record<string, unknown>) => redactValue(b) as Record<string, unknown> },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' },
      },
    });
  }
  return pino(base, pino.destination(2));
}

let current: Logger | undefined;

/** The logger of this process; commands replace it once the config is read. */
export function getLogger(): Logger {
  current ??= createLogger({ level: (process.env.EZH_LOG_LEVEL as LogLevel | undefined) ?? 'info' });
  return current;
}

export function setLogger(logger: Logger): void {
  current = logger;
}
