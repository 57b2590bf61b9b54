import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { makeWorkDir } from './files.js';

/**
 * Unpacks an archive into a private scratch directory (0700). node-tar refuses absolute paths
 * and `..` members, so a hostile tarball cannot write outside it.
 */
export interface Extracted {
  /** The scratch directory; remove with `dispose`. */
  dir: string;
  /** The archive's single top-level directory. */
  root: string;
  dispose(): void;
}

export async function extractArchive(file: string, workBase?: string): Promise<Extracted> {
  const work = makeWorkDir(workBase);
  const dir = work.path;
  const dispose = work.dispose;
  try {
    await tar.x({ file, cwd: dir, strict: true, preserveOwner: false });
    const top = readdirSync(dir);
    if (top.length !== 1) throw new Error(`expected one top-level directory, found ${top.length}`);
    return { dir, root: join(dir, top[0]!), dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
