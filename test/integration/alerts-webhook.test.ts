import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlerts, type AlertDeps } from '../../src/alerts/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import {
  AS_OF,
  seedFindings,
  seedSchool,
  silentLogger,
  T_CT5,
  testConfig,
} from './alerts-fixture.js';

const SECRET = 'webhook-secret-0123456789';

interface Hit {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  verified: boolean;
}

describe('alert digests to a signed webhook (sqlite)', () => {
  let m: TestMirror;
  let server: Server;
  const hits: Hit[] = [];
  const delays: number[] = [];
  let deps: AlertDeps;

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    await seedFindings(m.db);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const expected = Buffer.from(
          `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        );
        const given = Buffer.from(String(req.headers['x-ezh-signature'] ?? ''));
        const verified = given.length === expected.length && timingSafeEqual(given, expected);
        // The endpoint is down for the first two requests.
        const status = hits.length < 2 ? 503 : verified ? 200 : 401;
        hits.push({ status, body: body.toString('utf8'), headers: req.headers, verified });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    deps = {
      db: m.db,
      logger: silentLogger,
      config: testConfig({
        channels: ['webhook'],
        webhook: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET },
      }),
      sleep: async (ms) => {
        delays.push(ms);
        await new Promise((r) => setTimeout(r, ms));
      },
    };
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await m?.dispose();
  });

  it('posts signed digests, retrying a failing endpoint with exponential backoff', async () => {
    const result = await sendAlerts(deps, { asOf: AS_OF });
    expect(result.failed).toBe(0);
    // Webhook recipients need no e-mail address.
    expect(result.sent).toBe(3);
    expect(hits.map((h) => h.status)).toEqual([503, 503, 200, 200, 200]);
    expect(hits.every((h) => h.verified)).toBe(true);
    // base 20 ms, doubling, with at most 25 % jitter on top.
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(20);
    expect(delays[0]).toBeLessThanOrEqual(25);
    expect(delays[1]).toBeGreaterThanOrEqual(40);
    expect(delays[1]).toBeLessThanOrEqual(50);
    // A retry is the same delivery: receivers can drop repeats by id.
    expect(new Set(hits.slice(0, 3).map((h) => h.headers['x-ezh-delivery'])).size).toBe(1);

    for (const hit of hits) {
      const body = JSON.parse(hit.body) as {
        sentAt: string;
        type: string;
        items: { rule: string }[];
      };
      expect(body.type).toBe('ezh.alerts.digest');
      expect(Number(hit.headers['x-ezh-timestamp'])).toBe(
        Math.floor(Date.parse(body.sentAt) / 1000),
      );
    }
    const ct5 = hits
      .filter((h) => h.status === 200)
      .map(
        (h) =>
          JSON.parse(h.body) as {
            recipient: { personId: string };
            items: { key: string; className: string }[];
          },
      )
      .find((b) => b.recipient.personId === T_CT5)!;
    expect(ct5.items.map((i) => i.key).sort()).toEqual([
      'f-absent-5a-group',
      'f-att-5a',
      'f-two-5a',
    ]);

    expect((await sendAlerts(deps, { asOf: AS_OF })).sent).toBe(0);
    expect(hits).toHaveLength(5);
  });
});
