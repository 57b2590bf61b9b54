import { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';

/**
 * Redis connections for BullMQ. Workers block on Redis, so requests must never give up
 * (`maxRetriesPerRequest: null`): after a Redis restart they reconnect and carry on.
 */
export function redisConnection(
  config: Config['redis'],
  options: { failFast?: boolean } = {},
): Redis {
  return new Redis(config.url, {
    maxRetriesPerRequest: options.failFast ? 1 : null,
    enableOfflineQueue: !options.failFast,
    connectTimeout: options.failFast ? 2000 : 10_000,
    lazyConnect: options.failFast ?? false,
    ...(options.failFast ? { retryStrategy: () => null } : {}),
  });
}

/** Whether Redis answers, within a short time (for `ezh status`). */
export async function redisReachable(config: Config['redis']): Promise<boolean> {
  const redis = redisConnection(config, { failFast: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
