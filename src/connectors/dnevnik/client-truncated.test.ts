import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDnevnikClient } from './dnevnik.connector.js';

/**
 * A reply cut off mid-body (the connection closes before the promised Content-Length): the
 * client asks again instead of failing the scope for good. A real socket, because the cut is a
 * transport event that a mocked reply cannot make.
 */
describe('Dnevnik client, a reply cut off mid-body', () => {
  let server: Server | undefined;
  afterEach(
    () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  );

  it('is retried, and the next whole reply is used', async () => {
    let requests = 0;
    server = createServer((_req, res) => {
      requests++;
      const body = '[{"id":1,"id_str":"1","name":"5А"}]';
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      });
      if (requests === 1) {
        res.write(body.slice(0, 10));
        setTimeout(() => res.socket?.destroy(), 10);
      } else {
        res.end(body);
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const client = createDnevnikClient({
      baseUrl: `http://127.0.0.1:${port}/v2/`,
      token: 'truncated-test-token',
      requestsPerSecond: 100,
      concurrency: 2,
      timeoutMs: 5_000,
      maxRetries: 2,
    });
    const stats = { requests: 0, retries: 0 };
    const reply = await client.get('schools/1/edu-groups', { stats });
    expect(reply).toEqual([{ id: 1, id_str: '1', name: '5А' }]);
    expect(stats).toEqual({ requests: 2, retries: 1 });
  });
});
