import { readdirSync, readFileSync } from 'node:fs';

/**
 * Kills (SIGKILL) every process of this machine that has `argument` among its command-line
 * arguments, with its process group when that is not the caller's own: a browser and its
 * renderers, found by the profile folder they were started with. Synchronous (Linux /proc), so
 * it can run in an exit hook; where /proc cannot be read it does nothing.
 */
export function killProcessesWithArgument(argument: string): void {
  let own: number;
  try {
    own = groupOf(process.pid);
  } catch {
    return;
  }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args.includes(argument)) continue;
      const group = groupOf(pid);
      process.kill(group !== own ? -group : pid, 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to signal.
    }
  }
}

/** A process's group id, from /proc/<pid>/stat (after the command name: state, ppid, pgrp). */
function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}
