import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
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

/**
 * A TCP proxy in front of the test Redis: `down()` closes it and every connection through it
 * ("Redis down" for whoever uses `url`, without touching the Redis other tests share); `up()`
 * listens again on the same port.
 */
export interface RedisProxy {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
}

export async function startRedisProxy(): Promise<RedisProxy> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const up = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  };
  const down = async () => {
    const s = server;
    server = null;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  await up();
  return { url: `redis://127.0.0.1:${port}`, down, up };
}
