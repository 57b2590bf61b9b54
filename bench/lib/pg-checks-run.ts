import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PgChildInput, PgSchoolRun } from './checks-pg-child.js';

/** One run of `checks-pg-child.ts` in a fresh process (see there), and what it printed. */

export interface PgChildOutput {
  scanMs: number | null;
  openedRssMb: number;
  wallMs: number;
  /** CPU time of the process (user and system) over the measured runs. */
  cpuMs: number;
  /** CPU time of the whole process, from its start (loading, connecting) to its last run. */
  processCpuMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  runs: PgSchoolRun[];
  /** The warm-up check (input `warm`): a fresh worker's first, not stored. */
  first: PgSchoolRun | null;
  single: PgSchoolRun | null;
}

const exec = promisify(execFile);

export async function runPgChild(input: PgChildInput): Promise<PgChildOutput> {
  const { stdout } = await exec(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'checks-pg-child.ts')],
    {
      env: { ...process.env, EZH_BENCH_CHECKS_PG: JSON.stringify(input) },
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as PgChildOutput;
}
