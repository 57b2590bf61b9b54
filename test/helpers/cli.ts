import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** tsx resolved from the project, so the CLI runs from any working directory. */
export const TSX_LOADER = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `ezh` command from source (tsx), as a user would, in `cwd`. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliResult {
  const res = spawnSync(
    process.execPath,
    ['--import', TSX_LOADER, resolve(ROOT, 'src/cli/main.ts'), ...args],
    {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, EZH_LOG_LEVEL: 'warn', ...options.env },
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 120_000,
    },
  );
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
