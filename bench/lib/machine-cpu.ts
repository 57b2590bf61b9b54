import { readFileSync } from 'node:fs';

/**
 * CPU time the whole machine spent busy (every core, every process: user, system, interrupts),
 * in ms, from the kernel's counters (/proc/stat, USER_HZ ticks of 10 ms). Steal (time the
 * hypervisor gave to other guests) is not this machine's work and is left out. The difference over a
 * pass, less what the bench's own processes report, is what the database server used: its
 * backends come and go with the pools, so their own counters cannot be summed afterwards.
 * Null where /proc/stat is not there (not Linux).
 */
export function machineBusyMs(): number | null {
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  } catch {
    return null;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) * 10;
}

/**
 * Huge pages reserved and in use (/proc/meminfo): with `huge_pages = try` (the server's default)
 * PostgreSQL maps its buffers in them whenever enough are reserved, so the setting alone does not
 * tell. Null where /proc/meminfo is not there.
 */
export function hugePages(): { total: number; free: number } | null {
  try {
    const info = readFileSync('/proc/meminfo', 'utf8');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0);
    return { total: field('HugePages_Total'), free: field('HugePages_Free') };
  } catch {
    return null;
  }
}
