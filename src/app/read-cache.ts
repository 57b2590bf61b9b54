import { LRUCache } from 'lru-cache';
import { readDataVersion } from '../mirror/repositories/data-version.js';
import type { AppContext } from './context.js';

/**
 * Reads the web's pages repeat for every viewer and every click (the dashboard's counts and trend,
 * a class's findings and progress, the directory of names), kept per process and valid while what
 * they depend on stands: the schools' data version (every sync, check run and action on a finding
 * moves it in its own transaction, so what a user just did shows on their next page, from any
 * process) and, for reads that depend on the time, the app's clock to the minute (the trend's
 * weeks and a sheet's "as of now" move with time; with the sandbox's clock standing still, they do
 * not). Twenty deputy directors opening the dashboard at once compute it once: a read that finds
 * the entry being computed waits for that computation.
 *
 * One entry per key (a newer stamp replaces the older value), at most MAX_ENTRIES of them: memory
 * is bounded by the pages there are, not by the minutes that pass. What is cached is shared by
 * every request: callers map it to their views and never change it. Scope checks stay outside
 * the loaded value's reuse: a key names the scope it was read for.
 */

const MAX_ENTRIES = 500;
const MINUTE = 60_000;

interface Entry {
  stamp: string;
  value: Promise<object>;
}

export interface ReadOptions {
  /** The value does not depend on the clock (the directory of names): only the data's version. */
  timeless?: boolean;
}

export class ReadCache {
  // Plain LRU storage: an entry pushed out while its load runs still answers whoever awaits it.
  private readonly entries = new LRUCache<string, Entry>({ max: MAX_ENTRIES });

  constructor(private readonly app: Pick<AppContext, 'mirror' | 'clock'>) {}

  /**
   * `load()`'s result for `key` as of the current data of `schoolIds` (and the current minute,
   * unless `timeless`). A failed load is not kept: the next read tries again.
   */
  async read<T extends object>(
    key: string,
    schoolIds: readonly string[],
    load: () => Promise<T>,
    options: ReadOptions = {},
  ): Promise<T> {
    const { db } = await this.app.mirror();
    const versions: string[] = [];
    for (const id of schoolIds) versions.push(await readDataVersion(db, id));
    const minute = options.timeless ? '' : String(Math.floor(this.app.clock.now() / MINUTE));
    const stamp = `${versions.join(',')}@${minute}`;
    // JSON: ids with any character cannot make two keys one.
    const full = JSON.stringify([key, schoolIds]);
    const hit = this.entries.get(full);
    if (hit?.stamp === stamp) return (await hit.value) as T;
    const value = load();
    this.entries.set(full, { stamp, value });
    value.catch(() => {
      if (this.entries.get(full)?.value === value) this.entries.delete(full);
    });
    return value;
  }

  /** Drops every entry (a test, or a door that changed the mirror outside the usual writers). */
  clear(): void {
    this.entries.clear();
  }
}

const caches = new WeakMap<object, ReadCache>();

/** The process's cache for this app context (one per context, so tests never share one). */
export function readCacheOf(app: Pick<AppContext, 'mirror' | 'clock'>): ReadCache {
  let cache = caches.get(app);
  if (!cache) {
    cache = new ReadCache(app);
    caches.set(app, cache);
  }
  return cache;
}
