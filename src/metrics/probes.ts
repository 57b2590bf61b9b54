import type { Redis } from 'ioredis';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * Short, bounded checks of what a worker depends on, for `/ready`, `ezh_redis_up` and the figures
 * read from Redis at scrape time. A worker's Redis connection queues commands while Redis is down
 * (so jobs carry on after a restart): a probe must never wait on that queue, or a scrape hangs.
 */

export const PROBE_TIMEOUT_MS = 1500;

/** `work`'s value, or a rejection after `ms` (the work itself is left to finish or fail). */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether Redis answers a PING now (false at once while the connection is not ready). */
export async function redisAnswers(connection: Redis, ms = PROBE_TIMEOUT_MS): Promise<boolean> {
  if (connection.status !== 'ready') return false;
  try {
    return (await within(connection.ping(), ms, 'Redis')) === 'PONG';
  } catch {
    return false;
  }
}

/** Whether the mirror's database answers a trivial query. */
export async function databaseAnswers(db: SqlExecutor, ms = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    await within(db.query('SELECT 1 AS ok'), ms, 'database');
    return true;
  } catch {
    return false;
  }
}
