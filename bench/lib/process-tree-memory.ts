import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of a process and all its descendants (Chromium's browser, renderer, GPU and
 * utility processes), from /proc/<pid>/status VmRSS. Shared pages count once per process, so the
 * sum is an upper bound of what the tree really holds.
 */
export function treeRssMb(root: number = process.pid): number {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(name));
      parents.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  let kb = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      continue;
    }
    stack.push(...(parents.get(pid) ?? []));
  }
  return kb / 1024;
}

/** Samples `treeRssMb` every `everyMs` until stopped; returns the peak. */
export function sampleTreeRss(everyMs = 250): { stop(): number } {
  let peak = treeRssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMb());
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, treeRssMb());
    },
  };
}
