import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  ensurePrivateDir,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
} from '../platform/private-files.js';
import { makeTempDir, type TempDir } from '../platform/temp-dirs.js';

/** File helpers for archives: every file holds personal data, so everything is 0600 / 0700. */

export const FILE_MODE = PRIVATE_FILE_MODE;
export const DIR_MODE = PRIVATE_DIR_MODE;
export const WORK_PREFIX = 'ezh-archive-';

/**
 * A private scratch directory (0700) under `base` or the OS temp directory, removed by
 * `dispose`, at exit and on signals; after a `kill -9`, by the next run (see `temp-dirs.ts`).
 */
export function makeWorkDir(base?: string): TempDir {
  return makeTempDir('archive', base);
}

/** Creates a new file 0600 (fails if it exists) and returns its descriptor. */
export function createPrivateFile(path: string): number {
  ensurePrivateDir(dirname(path));
  const fd = openSync(path, 'wx', FILE_MODE);
  // open's mode passes through the umask: set it outright.
  fchmodSync(fd, FILE_MODE);
  return fd;
}

/** Writes a whole buffer, looping over short writes. */
export function writeAll(fd: number, data: Buffer | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

export function writePrivateFile(path: string, data: Buffer | string): void {
  const fd = createPrivateFile(path);
  try {
    writeAll(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** A rename is durable only once the directory entry itself is flushed. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Buffered writes to a private file: export files are written row by row from a synchronous
 * table scan, so writes are synchronous too (no await between reading and writing a row).
 */
export class PrivateFileWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private buffered = 0;

  constructor(readonly path: string) {
    this.fd = createPrivateFile(path);
  }

  write(text: string): void {
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeAll(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
