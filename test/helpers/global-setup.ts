/**
 * Runs once before the suite. Service-mode tests need PostgreSQL and Redis: when they are not
 * reachable the suite fails here with a clear message instead of skipping anything.
 */
import net from 'node:net';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export default async function setup(): Promise<void> {
  const pgUrl = new URL(process.env.EZH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const redisUrl = new URL(process.env.EZH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const missing: string[] = [];
  if (!(await reachable(pgUrl.hostname, Number(pgUrl.port || 5432)))) {
    missing.push(`PostgreSQL at ${pgUrl.host}`);
  }
  if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
    missing.push(`Redis at ${redisUrl.host}`);
  }
  if (missing.length > 0) {
    throw new Error(
      `The test suite needs ${missing.join(' and ')} (scripts/setup.sh starts Redis; set EZH_TEST_PG_URL / EZH_TEST_REDIS_URL to point elsewhere).`,
    );
  }
}
