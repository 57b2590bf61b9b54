import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { TSX_LOADER } from './cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The `ezh` command from source as a long-running child process, for tests that signal it while
 * it works (SIGTERM mid-sync, a worker stopped mid-job): its output is collected as it comes, a
 * test can wait for a line, and `exited` resolves with the exit code or signal.
 */
export interface CliProcess {
  child: ChildProcess;
  /** Everything printed so far, stdout then stderr interleaved as received. */
  output(): string;
  stdout(): string;
  /** Resolves once the output satisfies `until` (rejects after `timeoutMs` or on exit). */
  waitFor(until: RegExp | ((out: string) => boolean), timeoutMs: number): Promise<void>;
  exited: Promise<CliExit>;
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  out: string;
  /** When the process exited (Date.now()). */
  at: number;
}

export function spawnCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliProcess {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, resolve(ROOT, 'src/cli/main.ts'), ...args],
    {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let stdout = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    out += d.toString();
    changed();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
    changed();
  });
  let done = false;
  const exited = new Promise<CliExit>((resolvePromise) =>
    child.on('exit', (code, signal) => {
      done = true;
      changed();
      resolvePromise({ code, signal, stdout, out, at: Date.now() });
    }),
  );
  const waitFor = (until: RegExp | ((out: string) => boolean), timeoutMs: number) =>
    new Promise<void>((resolvePromise, reject) => {
      const met = typeof until === 'function' ? until : (o: string) => until.test(o);
      const check = () => {
        if (met(out)) {
          finish();
          resolvePromise();
        } else if (done) {
          finish();
          reject(new Error(`ezh exited before printing ${String(until)}:\n${out}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`ezh did not print ${String(until)} within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => out, stdout: () => stdout, waitFor, exited };
}
