/**
 * Errors that cross module boundaries. Each carries the exit code the CLI maps it to, so a
 * command never has to guess whether a failure is the user's input (2) or the work (1).
 */
export class EzhError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage or bad configuration: exit code 2, every problem listed. */
export class UsageError extends EzhError {
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(message, 2);
    this.problems = problems;
  }
}

export class ConfigError extends UsageError {}

/** Something the operator must fix outside ezh (missing browser, unreachable database). */
export class EnvironmentError extends EzhError {}
