import { readdirSync, readFileSync } from 'node:fs';

/**
 * Memory and CPU time of a process and all its descendants (Chromium's browser, zygotes,
 * renderer, GPU and utility processes), read from /proc.
 *
 * - PSS (`/proc/<pid>/smaps_rollup`, `Pss:`): each shared page is divided between the processes
 *   that map it, so the sum over the tree is what the tree really holds. This is the figure to
 *   compare with a memory budget.
 * - RSS (`/proc/<pid>/status`, `VmRSS:`): shared pages (Chromium's binary, fonts, the zygote's
 *   pre-forked heap) count once per process, so the sum overstates the tree — kept for comparison.
 */

export interface TreeMemory {
  pssMb: number;
  rssMb: number;
  processes: number;
}

/** Pids of `root` and all its descendants. */
export function treePids(root: number = process.pid): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const pids: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    pids.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return pids;
}

function kb(file: string, field: RegExp): number {
  try {
    return Number(field.exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // the process ended meanwhile
  }
}

export function treeMemory(root: number = process.pid): TreeMemory {
  let pss = 0;
  let rss = 0;
  const pids = treePids(root);
  for (const pid of pids) {
    pss += kb(`/proc/${pid}/smaps_rollup`, /^Pss:\s+(\d+)/m);
    rss += kb(`/proc/${pid}/status`, /^VmRSS:\s+(\d+)/m);
  }
  return { pssMb: pss / 1024, rssMb: rss / 1024, processes: pids.length };
}

/** Sum of VmRSS over the tree (an upper bound: shared pages count once per process). */
export function treeRssMb(root: number = process.pid): number {
  return treeMemory(root).rssMb;
}

const TICK = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) used so far by the tree's live processes and by the children they
 * have reaped (Chromium's zygote reaps its renderers). A closed browser's zygotes are not reaped
 * by anyone in the tree, so sample a browser's tree before closing it.
 */
export function treeCpuSeconds(root: number = process.pid): number {
  let ticks = 0;
  for (const pid of treePids(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields 14–17 of stat (utime stime cutime cstime) are at 11–14 after the command name
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / TICK;
}

export interface TreeSampler {
  /** Stops sampling; returns the peaks (PSS and RSS peaks may come from different samples). */
  stop(): { peakPssMb: number; peakRssMb: number; samples: number };
}

/** Samples `treeMemory` every `everyMs` until stopped. */
export function sampleTreeMemory(everyMs = 250, root: number = process.pid): TreeSampler {
  let peakPss = 0;
  let peakRss = 0;
  let samples = 0;
  const sample = () => {
    const m = treeMemory(root);
    peakPss = Math.max(peakPss, m.pssMb);
    peakRss = Math.max(peakRss, m.rssMb);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { peakPssMb: peakPss, peakRssMb: peakRss, samples };
    },
  };
}
