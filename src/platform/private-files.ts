import {
  chmodSync,
  closeSync,
  fchmodSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * Files with personal data (documents with students' names and marks, findings, alert
 * messages, answer keys, exports) are readable by their owner only: 0600 in folders 0700. The
 * modes are set explicitly, so a permissive umask changes nothing; a folder the user made keeps
 * the mode the user gave it: only folders ezh creates are made private.
 */

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` and any missing parents 0700; folders that already exist are left as they are. */
export function ensurePrivateDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // mkdir's mode passes through the umask: every folder made here gets its mode set again.
  chmodSync(first, PRIVATE_DIR_MODE);
  let current = first;
  for (const part of relative(first, dir).split(sep).filter(Boolean)) {
    current = join(current, part);
    chmodSync(current, PRIVATE_DIR_MODE);
  }
}

/**
 * Writes a whole file 0600, atomically: into a temporary name beside it, then renamed over the
 * target, so a reader never sees half a file and a file that was there before (perhaps 0644)
 * is replaced, mode and all.
 */
export function writePrivateFileAtomic(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    // A stale temporary file of the same name keeps its old mode through open: set it.
    fchmodSync(fd, PRIVATE_FILE_MODE);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
