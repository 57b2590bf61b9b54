import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_KINDS } from '../../src/jobs/job-names.js';

export const TEST_REDIS_URL = process.env.EZH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of this test run only, so parallel tests never see each other's queues. */
export function testPrefix(): string {
  return `ezh-test-${randomBytes(5).toString('hex')}`;
}

/** Removes every queue (jobs, schedulers, keys) under `prefix`. */
export async function obliterateQueues(prefix: string): Promise<void> {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  try {
    for (const kind of QUEUE_KINDS) {
      const q = new Queue(kind, { connection, prefix });
      await q.obliterate({ force: true });
      await q.close();
    }
  } finally {
    connection.disconnect();
  }
}

/** Deletes every key under `prefix` (queues, schedulers, ezh's own keys): "Redis emptied". */
export async function deletePrefixKeys(prefix: string): Promise<number> {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await connection.del(...keys);
    } while (cursor !== '0');
  } finally {
    connection.disconnect();
  }
  return deleted;
}
