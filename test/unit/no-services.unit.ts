import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { resolveChromiumPath } from '../../src/reports/pdf/chromium.js';

/**
 * The unit tier's guard (test/unit/no-services.ts, its setup file): a unit test that reaches for
 * PostgreSQL, Redis or Chromium fails at once, naming the service. Runs in the unit tier only.
 */
function connectError(port: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => reject(new Error(`connected to port ${port}`)));
    socket.once('error', resolve);
  });
}

describe('unit tier', () => {
  it('refuses PostgreSQL and Redis with a message naming the service', async () => {
    expect((await connectError(5432)).message).toMatch(
      /^unit tier: this test connects to PostgreSQL/,
    );
    expect((await connectError(6379)).message).toMatch(/^unit tier: this test connects to Redis/);
  });

  it('has no Chromium', () => {
    expect(() => resolveChromiumPath()).toThrow(
      /Chromium not found at \/unit-tier-has-no-chromium/,
    );
  });

  it('still lets a test talk to a server of its own (the sandbox, a webhook receiver)', async () => {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
