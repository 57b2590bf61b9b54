import { cpus, totalmem } from 'node:os';

/**
 * Measurement helpers for benchmarks. Absolute times are noisy on a shared 2-core machine, so
 * every benchmark reports ratios against a baseline measured in the same run.
 */

export interface Timing {
  ms: number;
  /** Peak resident set size during the measured section, in MiB (sampled every 20 ms). */
  peakRssMb: number;
  /** Peak V8 heap used, in MiB. */
  peakHeapMb: number;
}

export async function measure<T>(fn: () => Promise<T> | T): Promise<{ result: T } & Timing> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const timer = setInterval(sample, 20);
  const start = process.hrtime.bigint();
  try {
    const result = await fn();
    sample();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    return { result, ms, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

export function machine(): Record<string, unknown> {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
