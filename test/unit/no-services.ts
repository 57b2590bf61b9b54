/**
 * Setup file of the unit tier (vitest.unit.config.ts), run in every test worker before its file:
 * the unit tier has no PostgreSQL, Redis or Chromium. A test that reaches for one anyway fails at
 * once with this message (instead of hanging on a timeout, or passing because the machine happens
 * to run the services): move it to the service tier or drop the dependency.
 */
import net from 'node:net';

const SERVICE_PORTS = new Map([
  [5432, 'PostgreSQL'],
  [6379, 'Redis'],
]);

// Child processes (the CLI, sync children) inherit these: their services are unreachable too.
process.env.EZH_TEST_PG_URL = 'postgres://postgres@127.0.0.1:9/unit-tier-has-no-postgresql';
process.env.EZH_TEST_REDIS_URL = 'redis://127.0.0.1:9';
process.env.PUPPETEER_EXECUTABLE_PATH = '/unit-tier-has-no-chromium';
// test/helpers/mirrors.ts: the mirror tests run their SQLite half only.
process.env.EZH_TEST_ENGINES = 'sqlite';

const SERVICE_URLS = new Map([[9, 'PostgreSQL or Redis'], ...SERVICE_PORTS]);

function portOf(args: unknown[]): number | null {
  // net.connect() hands over its arguments already normalised, as one array.
  const first: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'number') return first;
  if (typeof first === 'string' && /^\d+$/.test(first)) return Number(first);
  if (first && typeof first === 'object' && 'port' in first) return Number(first.port);
  return null;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  const port = portOf(args);
  const service = port === null ? undefined : SERVICE_URLS.get(port);
  if (service !== undefined) {
    const error = new Error(
      `unit tier: this test connects to ${service} (port ${port}); the unit tier runs without services. ` +
        'Move the test to the service tier (npm test) or drop the dependency (see README, "Tests").',
    );
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
