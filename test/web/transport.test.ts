import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/platform/errors.js';
import { startWebServer } from '../../src/web/server.js';
import { SESSION_COOKIE } from '../../src/web/session.js';
import { checkTransport } from '../../src/web/transport.js';
import { TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';
import { PASSWORD, startWebHarness, type WebHarness } from './harness.js';

const SECRET = 'ab'.repeat(32);

describe('web transport: plain HTTP only on loopback or behind a TLS proxy', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness({ sync: false, web: { login: { perIpPerMinute: 3 } } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses to start on a non-loopback address without a proxy, and says what to do', async () => {
    const web = { ...h.app.config.web, behindProxy: false };
    expect(() => checkTransport(web, '0.0.0.0')).toThrow(UsageError);
    expect(() => checkTransport(web, '192.168.1.10')).toThrow(/plain HTTP/);
    expect(() => checkTransport(web, '127.0.0.1')).not.toThrow();
    expect(() => checkTransport(web, '::1')).not.toThrow();
    expect(() => checkTransport({ ...web, behindProxy: true }, '0.0.0.0')).not.toThrow();
    await expect(startWebServer({ app: h.app, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /refusing to serve plain HTTP on 0\.0\.0\.0/,
    );
  });

  it('throttles login posts per address (429 after web.login.perIpPerMinute)', async () => {
    const c = h.client();
    const token = await c.csrfToken('/login');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await c.post('/login', { login: 'admin', password: `wrong ${i}` }, { csrf: token });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const last = await c.post('/login', { login: 'admin', password: PASSWORD }, { csrf: token });
    expect(last.status).toBe(429);
    expect(last.text).toContain('Слишком много попыток');
  });

  describe('behind a TLS proxy', () => {
    let p: WebHarness;
    beforeAll(async () => {
      p = await startWebHarness({
        sync: false,
        web: {
          behindProxy: true,
          trustedProxies: ['127.0.0.1', '::1'],
          publicUrl: 'https://ezh.school.example',
          sessionSecret: SECRET,
        },
      });
    });
    afterAll(async () => {
      await p?.close();
    });

    it('refuses what did not come over https through the proxy', async () => {
      const r = await p.client().get('/login');
      expect(r.status).toBe(403);
      expect(r.text).toContain('HTTPS only');
      const forwardedHttp = await p.client().get('/login', { 'x-forwarded-proto': 'http' });
      expect(forwardedHttp.status).toBe(403);
    });

    it('serves https requests, with Secure cookies and HSTS, logging the client’s address', async () => {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.1.2.3' };
      const c = p.client();
      const page = await c.get('/login', headers);
      expect(page.status).toBe(200);
      expect(page.headers.get('strict-transport-security')).toContain('max-age=');
      const cookie = page.headers.getSetCookie().find((s) => s.startsWith(`${SESSION_COOKIE}=`));
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const r = await c.post(
        '/login',
        { login: 'ict', password: PASSWORD, next: '/' },
        { csrf: token, headers },
      );
      expect(r.status).toBe(302);
      const [row] = await p.mirror.db.query<{ ip: string }>(
        `SELECT ip FROM web_audit WHERE kind = 'login' AND actor = 'local:ict'`,
      );
      expect(row!.ip).toBe('10.1.2.3');
    });
  });
});

describe('Bull Board in service mode', () => {
  let h: WebHarness;
  let connection: Redis;
  let queue: Queue;
  const prefix = testPrefix();
  beforeAll(async () => {
    connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue('sync', { connection, prefix });
    h = await startWebHarness({
      sync: false,
      web: { mode: 'service', sessionSecret: SECRET },
      server: { queues: [queue] },
    });
  });
  afterAll(async () => {
    await h?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    connection?.disconnect();
  });

  it('shows the queues to the ICT engineer only', async () => {
    const ict = await h.loginAs('ict');
    const board = await ict.get('/ict/queues/');
    expect(board.status).toBe(200);
    expect(board.text).toContain('__UI_CONFIG__');
    const api = await ict.get('/ict/queues/api/queues');
    expect(api.status).toBe(200);
    expect(api.text).toContain('"sync"');
    const admin = await h.loginAs('admin');
    expect((await admin.get('/ict/queues/')).status).toBe(403);
    expect((await admin.get('/ict/queues/api/queues')).status).toBe(403);
    expect((await h.client().get('/ict/queues/api/queues')).status).toBe(302);
  });

  it('changes the queues only with the session’s CSRF token, which the board’s page is given as its client expects', async () => {
    const ict = await h.loginAs('ict');
    const board = await ict.get('/ict/queues/');
    // Bull Board's axios sends the cookie XSRF-TOKEN back as X-XSRF-TOKEN to its own origin.
    const cookie = board.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='))!;
    expect(cookie).toMatch(/Path=\/ict\/queues/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/HttpOnly/);
    const token = ict.cookies.get('XSRF-TOKEN')!;
    ict.cookies.delete('XSRF-TOKEN');
    const paused = () => queue.isPaused();
    // Bull Board's pause and resume take no body.
    const json = {};

    // Without the token (a page of another site posting with the engineer's cookie): refused.
    const forged = await ict.request('PUT', '/ict/queues/api/queues/pause', { headers: json });
    expect(forged.status).toBe(403);
    expect(await paused()).toBe(false);
    const wrong = await ict.request('PUT', '/ict/queues/api/queues/pause', {
      headers: { ...json, 'x-xsrf-token': `${token.slice(0, -2)}xx` },
    });
    expect(wrong.status).toBe(403);
    const retry = await ict.request('PUT', '/ict/queues/api/queues/sync/retry/failed', {
      headers: json,
    });
    expect(retry.status).toBe(403);
    expect(await paused()).toBe(false);

    // With it, as the board's page sends it: done.
    const ok = await ict.request('PUT', '/ict/queues/api/queues/pause', {
      headers: { ...json, 'x-xsrf-token': token },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(await paused()).toBe(true);
    const resumed = await ict.request('PUT', '/ict/queues/api/queues/resume', {
      headers: { ...json, 'x-xsrf-token': token },
    });
    expect(resumed.status).toBe(200);
    expect(await paused()).toBe(false);

    // Another role is refused whatever it sends (403), one not logged in is sent to the login.
    const admin = await h.loginAs('admin');
    const adminToken = await admin.csrfToken('/');
    for (const headers of [json, { ...json, 'x-csrf-token': adminToken }]) {
      expect((await admin.request('PUT', '/ict/queues/api/queues/pause', { headers })).status).toBe(
        403,
      );
    }
    expect(await paused()).toBe(false);
    expect(
      (await h.client().request('PUT', '/ict/queues/api/queues/pause', { headers: json })).status,
    ).toBe(302);
  });
});
