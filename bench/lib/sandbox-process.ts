import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SandboxSchoolInfo, StartSandboxOptions } from '../../src/sandbox/index.js';

/** A sandbox platform served by a child process (see `sandbox-child.ts`). */
export interface SandboxProcess {
  url: string;
  schools: SandboxSchoolInfo[];
  /** The sandbox clock's "now" (it does not move unless told to). */
  now: number;
  pid: number;
  requestCount(): Promise<number>;
  /** Requests the sandbox refused with its per-token limit (`tokenLimit`). */
  refusedCount(): Promise<number>;
  /** Moves the sandbox clock forward (never back); resolves once it has moved. */
  advanceTo(instant: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxProcess(options: StartSandboxOptions): Promise<SandboxProcess> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'sandbox-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, EZH_BENCH_SANDBOX: JSON.stringify(options) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; schools: SandboxSchoolInfo[]; now: number }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
      child.once('message', (m) => resolve(m as never));
    },
  );
  child.removeAllListeners('exit');
  const ask = <T>(type: string, extra: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send({ type, ...extra });
    });
  return {
    ...ready,
    pid: child.pid!,
    requestCount: async () => (await ask<{ count: number }>('requests')).count,
    refusedCount: async () => (await ask<{ refused: number }>('requests')).refused,
    advanceTo: async (at) => {
      await ask('advanceTo', { at });
    },
    close: async () => {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ type: 'close' });
      await exited;
    },
  };
}
