import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { ensurePrivateDir } from '../platform/private-files.js';
import { FILE_MODE, fsyncDir, writeAll } from './files.js';

/**
 * Packs the archive directory once and streams the same bytes to every destination, so all
 * copies are identical by construction. Each copy is written as `<name>.partial`, fsync'd, and
 * only then renamed to its final name (and the directory fsync'd): a killed process leaves at
 * most a `.partial`, never a truncated file under the final name. A `<name>.sha256` sidecar
 * (sha256sum format) is written the same way, so media can be checked without ezh.
 */

export const PARTIAL_SUFFIX = '.partial';
export const SIDECAR_SUFFIX = '.sha256';

export interface PackResult {
  sha256: string;
  size: number;
  /** Absolute final paths, one per destination. */
  paths: string[];
}

/** Fans every chunk out to all open files, hashing as it goes. */
class TeeToFiles extends Writable {
  readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly fds: number[]) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    try {
      for (const fd of this.fds) writeAll(fd, chunk);
      this.hash.update(chunk);
      this.size += chunk.length;
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}

export async function packToDestinations(
  workDir: string,
  rootName: string,
  members: readonly string[],
  destinations: readonly string[],
  fileName: string,
  mtime: Date,
): Promise<PackResult> {
  const finals = [...new Set(destinations.map((d) => resolve(d)))].map((d) => join(d, fileName));
  const partials = finals.map((f) => f + PARTIAL_SUFFIX);
  const fds: number[] = [];
  try {
    for (const p of partials) {
      ensurePrivateDir(dirname(p));
      // A `.partial` left by a killed run of the same name is replaced, never appended to.
      rmSync(p, { force: true });
      fds.push(openSync(p, 'wx', FILE_MODE));
    }
    const tee = new TeeToFiles(fds);
    const pack = tar.create(
      { gzip: { level: 6 }, cwd: workDir, portable: true, mtime, noDirRecurse: true },
      members.map((m) => `${rootName}/${m}`),
    );
    await pipeline(pack as unknown as NodeJS.ReadableStream, tee);
    const sha256 = tee.hash.digest('hex');
    for (const fd of fds.splice(0)) {
      fsyncSync(fd);
      closeSync(fd);
    }
    for (let i = 0; i < finals.length; i++) {
      renameSync(partials[i]!, finals[i]!);
      writeSidecar(finals[i]!, sha256, fileName);
      fsyncDir(dirname(finals[i]!));
    }
    return { sha256, size: tee.size, paths: finals };
  } catch (err) {
    for (const fd of fds) closeSync(fd);
    for (const p of partials) rmSync(p, { force: true });
    throw err;
  }
}

function writeSidecar(finalPath: string, sha256: string, fileName: string): void {
  const sidecar = finalPath + SIDECAR_SUFFIX;
  const partial = sidecar + PARTIAL_SUFFIX;
  rmSync(partial, { force: true });
  const fd = openSync(partial, 'wx', FILE_MODE);
  try {
    writeAll(fd, `${sha256}  ${fileName}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, sidecar);
}
