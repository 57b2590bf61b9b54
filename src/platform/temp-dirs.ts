import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { onExitCleanup } from './exit-cleanup.js';
import { killProcessesWithArgument } from './processes.js';
import { ensurePrivateDir } from './private-files.js';

/**
 * ezh's temporary folders (archive work folders with a copy of the mirror, Chromium profiles)
 * carry their owner in the name: `ezh-<kind>-<pid>-<host>-XXXXXX`. They are removed when the
 * work ends, when the process exits or is stopped by a signal, and, after a `kill -9`, by the
 * next ezh start (and the first folder made in a place): it removes the folders of its own
 * prefix and host whose owner is dead (no such process, or one that started after the folder
 * was made: the pid was reused). Nothing else is ever touched.
 */

export type TempKind = 'archive' | 'chromium';

/** Which machine made the folder: a pid means nothing on another host sharing the folder. */
const HOST_TAG = createHash('sha1').update(hostname()).digest('hex').slice(0, 8);

/** The name prefix of `kind` folders made by process `pid` on this host. */
export function tempDirPrefix(kind: TempKind, pid: number = process.pid): string {
  return `ezh-${kind}-${pid}-${HOST_TAG}-`;
}
const NAME = /^ezh-(archive|chromium)-(\d+)-([0-9a-f]{8})-[A-Za-z0-9]{6}$/;

export interface TempDir {
  path: string;
  /** Removes the folder (idempotent). */
  dispose(): void;
}

const swept = new Set<string>();

/** A new private (0700) temporary folder under `base` (default: the OS temp folder). */
export function makeTempDir(kind: TempKind, base: string = tmpdir()): TempDir {
  ensurePrivateDir(base);
  sweepOnce(base);
  const path = mkdtempSync(join(base, tempDirPrefix(kind)));
  const remove = () => rmSync(path, { recursive: true, force: true });
  const unregister = onExitCleanup(remove);
  return {
    path,
    dispose: () => {
      unregister();
      remove();
    },
  };
}

/**
 * `sweepOrphanTempDirs` once per process and folder: at start-up (`createApp`) and before the
 * first folder is made in a place. Returns how many folders were removed.
 */
export function sweepOnce(base: string = tmpdir()): number {
  const key = resolve(base);
  if (swept.has(key)) return 0;
  swept.add(key);
  return sweepOrphanTempDirs(base).length;
}

/** Removes `base`'s temporary folders of ezh processes on this host that are gone; returns them. */
export function sweepOrphanTempDirs(base: string = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const name of names) {
    const path = join(base, name);
    if (tempDirOwner(path) !== 'dead') continue;
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      // A browser of a killed ezh may still be shutting down in its profile: it goes first.
      if (name.startsWith('ezh-chromium-')) killProcessesWithArgument(`--user-data-dir=${path}`);
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}

/**
 * Who holds a temporary folder: `alive` (a running process of this host, this one included),
 * `dead` (its process is gone), `unknown` (another host's, or not named by `makeTempDir`).
 */
export function tempDirOwner(path: string): 'alive' | 'dead' | 'unknown' {
  const m = NAME.exec(basename(path));
  if (!m || m[3] !== HOST_TAG) return 'unknown';
  const pid = Number(m[2]);
  if (pid === process.pid) return 'alive';
  try {
    const st = lstatSync(path);
    // The folder's oldest time: birth where the file system records it, else its last change.
    const made = st.birthtimeMs > 0 ? st.birthtimeMs : Math.min(st.mtimeMs, st.ctimeMs);
    return ownerAlive(pid, made) ? 'alive' : 'dead';
  } catch {
    return 'unknown';
  }
}

/** Whether `pid` runs and may have made a folder at `madeMs` (it started before that). */
function ownerAlive(pid: number, madeMs: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it runs under another user; only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  const started = processStartMs(pid);
  // Started after the folder was made: a reused pid. The start is read to the second below
  // (boot time in whole seconds), so an owner never looks younger than its folder; the margin
  // covers the file system's coarse timestamps.
  return started === null || started <= madeMs + 1_000;
}

/** When a process started (Linux /proc), or null where that cannot be read. */
function processStartMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ": starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!btime || !Number.isFinite(ticks)) return null;
    // USER_HZ is 100 on every Linux ezh runs on.
    return Number(btime[1]) * 1000 + ticks * 10;
  } catch {
    return null;
  }
}
