import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentAudit } from '../../src/app/accounts-service.js';
import { PASSWORD, startWebHarness, type WebHarness } from './harness.js';

describe('web login (local accounts)', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness({ web: { login: { perIpPerMinute: 50, maxFailures: 3 } } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends an anonymous visitor to the login page', async () => {
    const r = await h.client().get('/');
    expect(r.status).toBe(302);
    expect(r.location).toBe('/login?next=%2F');
  });

  it('logs in with the right password, shows the name, and records it', async () => {
    const c = h.client();
    const r = await c.login('admin', PASSWORD);
    expect(r.status).toBe(302);
    expect(r.location).toBe('/');
    const home = await c.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Тест admin');
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    const audit = await recentAudit(h.mirror.db, 20);
    expect(audit.some((a) => a.kind === 'login' && a.actor === 'local:admin')).toBe(true);
  });

  it('refuses a wrong password, says so, and records the failure', async () => {
    const c = h.client();
    const r = await c.login('ict', 'not the password at all');
    expect(r.status).toBe(401);
    expect(r.text).toContain('Неверный логин или пароль');
    expect((await c.get('/')).status).toBe(302);
    const audit = await recentAudit(h.mirror.db, 20);
    expect(audit.some((a) => a.kind === 'login_failed' && a.actor === 'local:ict')).toBe(true);
  });

  it('refuses a form posted without its CSRF token', async () => {
    const c = h.client();
    await c.get('/login');
    const r = await c.post('/login', { login: 'admin', password: PASSWORD }, { csrf: false });
    expect(r.status).toBe(403);
    expect((await c.get('/')).status).toBe(302);
  });
});
