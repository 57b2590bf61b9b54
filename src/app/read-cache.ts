import { LRUCache } from 'lru-cache';
import { readDataVersion } from '../mirror/repositories/data-version.js';
import type { AppContext } from './context.js';

/**
 * Reads the web's pages repeat for every viewer and every click (the dashboard's counts and trend,
 * a class's findings and progress), kept per process and keyed by what they depend on: the schools'
 * data version (a sync, a check run or an action on a finding makes a new one, so what a user just
 * did shows on their next page) and the app's clock to the minute (the trend's weeks and a sheet's
 * "as of now" move with time; with the sandbox's clock standing still, they do not). Twenty deputy
 * directors opening the dashboard at once compute it once: concurrent reads of a missing entry wait
 * for the one fetch (lru-cache's `fetch`).
 *
 * What is cached is shared by every request: callers map it to their views and never change it.
 * Scope checks stay outside: a caller decides first whether the viewer may see a class, then reads.
 */

/** Entries kept per process; a large school's class pages and dashboards fit many times over. */
const MAX_ENTRIES = 500;
const MINUTE = 60_000;

type Loader = () => Promise<unknown>;

export class ReadCache {
  private readonly entries = new LRUCache<string, object, Loader>({
    max: MAX_ENTRIES,
    fetchMethod: async (_key, _stale, { context }) => (await context()) as object,
  });

  constructor(private readonly app: Pick<AppContext, 'mirror' | 'clock'>) {}

  /**
   * `load()`'s result for `key` as of the current data of `schoolIds` and the current minute.
   * A failed load is not kept.
   */
  async read<T extends object>(
    key: string,
    schoolIds: readonly string[],
    load: () => Promise<T>,
  ): Promise<T> {
    const { db } = await this.app.mirror();
    const versions: string[] = [];
    for (const id of schoolIds) versions.push(await readDataVersion(db, id));
    const minute = Math.floor(this.app.clock.now() / MINUTE);
    const full = `${key}|${schoolIds.join(',')}|${versions.join(',')}|${minute}`;
    return (await this.entries.fetch(full, { context: load })) as T;
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
