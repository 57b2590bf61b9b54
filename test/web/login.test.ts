import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePassword, recentAudit, setUserDisabled } from '../../src/app/accounts-service.js';
import { SESSION_COOKIE } from '../../src/web/session.js';
import { PASSWORD, startWebHarness, type WebHarness } from './harness.js';

const MINUTE = 60_000;

describe('web login (local accounts)', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness({
      web: {
        login: { perIpPerMinute: 100, maxFailures: 3, lockMinutes: 15 },
        sessionIdleMinutes: 30,
        sessionMaxHours: 12,
      },
    });
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
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    const audit = await recentAudit(h.mirror.db, 50);
    const entry = audit.find((a) => a.kind === 'login' && a.actor === 'local:admin');
    expect(entry?.ip).toBe('127.0.0.1');
  });

  it('refuses a wrong password, says so, and records the failure', async () => {
    const c = h.client();
    const r = await c.login('ict', 'not the password at all');
    expect(r.status).toBe(401);
    expect(r.text).toContain('Неверный логин или пароль');
    expect((await c.get('/')).status).toBe(302);
    const audit = await recentAudit(h.mirror.db, 50);
    expect(audit.some((a) => a.kind === 'login_failed' && a.actor === 'local:ict')).toBe(true);
  });

  it('keeps a login that is no account (a password typed there by mistake) out of the audit trail', async () => {
    const typo = 'Sekret-Pa55word!';
    const c = h.client();
    for (let i = 0; i < 4; i++) expect([401, 429]).toContain((await c.login(typo, 'x')).status);
    const audit = await recentAudit(h.mirror.db, 50);
    const failed = audit.filter((a) => a.kind === 'login_failed' && a.actor.startsWith('unknown:'));
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audit).toLowerCase()).not.toContain(typo.toLowerCase());
    // Still throttled like an account: the same unknown login is locked after 3 failures.
    expect((await c.login(typo, 'y')).status).toBe(429);
  });

  it('refuses a form posted without its CSRF token, or with another session’s', async () => {
    const c = h.client();
    await c.get('/login');
    const none = await c.post('/login', { login: 'admin', password: PASSWORD }, { csrf: false });
    expect(none.status).toBe(403);
    const other = await h.client().csrfToken('/login');
    const foreign = await c.post('/login', { login: 'admin', password: PASSWORD }, { csrf: other });
    expect(foreign.status).toBe(403);
    expect((await c.get('/')).status).toBe(302);
    // A logged-in viewer's POST without the token is refused as well.
    const admin = await h.loginAs('admin');
    expect((await admin.post('/logout', {}, { csrf: false })).status).toBe(403);
    expect((await admin.get('/')).status).toBe(200);
  });

  it('locks a login after repeated wrong passwords, even with the right one, until the lock ends', async () => {
    await h.addUser('locked');
    const c = h.client();
    for (let i = 0; i < 3; i++) expect((await c.login('locked', `wrong ${i}`)).status).toBe(401);
    const refused = await c.login('locked', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Слишком много неудачных попыток');
    expect((await c.get('/')).status).toBe(302);
    h.advance(16 * MINUTE);
    expect((await c.login('locked', PASSWORD)).status).toBe(302);
  });

  it('gives a new session at login: a cookie from before the login is not logged in', async () => {
    const c = h.client();
    await c.get('/login');
    const before = c.cookies.get(SESSION_COOKIE);
    expect(before).toBeTruthy();
    const planted = c.clone();
    expect((await c.login('admin', PASSWORD)).status).toBe(302);
    expect(c.cookies.get(SESSION_COOKIE)).not.toBe(before);
    expect((await c.get('/')).status).toBe(200);
    expect((await planted.get('/')).status).toBe(302);
  });

  it('ends a session after the idle time, and after the absolute time however active', async () => {
    const idle = await h.loginAs('ict');
    h.advance(29 * MINUTE);
    expect((await idle.get('/')).status).toBe(200);
    h.advance(31 * MINUTE);
    expect((await idle.get('/')).status).toBe(302);

    const busy = await h.loginAs('ict');
    let hours = 0;
    while (hours < 11.5) {
      h.advance(25 * MINUTE);
      hours += 25 / 60;
      expect((await busy.get('/')).status).toBe(200);
    }
    h.advance(25 * MINUTE); // 12 h 5 min after the login, 25 min after the last request
    expect((await busy.get('/')).status).toBe(302);
  });

  it('refuses a disabled account, and ends its open sessions', async () => {
    await h.addUser('leaver', { roles: ['admin'] });
    const open = h.client();
    expect((await open.login('leaver', PASSWORD)).status).toBe(302);
    expect((await open.get('/')).status).toBe(200);
    h.advance(1000);
    await setUserDisabled(h.mirror.db, 'leaver', true, h.now());
    expect((await open.get('/')).status).toBe(302);
    const again = await h.client().login('leaver', PASSWORD);
    expect(again.status).toBe(401);
    expect(again.text).toContain('отключена');
  });

  it('ends the sessions of an account whose password changed', async () => {
    await h.addUser('changer', { roles: ['ict'] });
    const open = h.client();
    expect((await open.login('changer', PASSWORD)).status).toBe(302);
    h.advance(1000);
    await changePassword(h.mirror.db, 'changer', 'another long password', h.now());
    expect((await open.get('/')).status).toBe(302);
    expect((await h.client().login('changer', 'another long password')).status).toBe(302);
  });

  it('logs out: the session ends and the logout is recorded', async () => {
    const c = await h.loginAs('subjectTeacher');
    const r = await c.post('/logout', {});
    expect(r.status).toBe(302);
    expect(r.location).toBe('/login');
    expect((await c.get('/')).status).toBe(302);
    const audit = await recentAudit(h.mirror.db, 50);
    expect(audit.some((a) => a.kind === 'logout' && a.actor === 'local:teacher')).toBe(true);
  });

  it('logs out that session everywhere: a copy of its cookie is no longer logged in', async () => {
    const c = await h.loginAs('admin');
    const copy = c.clone();
    const other = await h.loginAs('admin');
    expect((await copy.get('/')).status).toBe(200);
    expect((await c.post('/logout', {})).status).toBe(302);
    expect((await copy.get('/')).status).toBe(302);
    // The account's other session is not the one that logged out.
    expect((await other.get('/')).status).toBe(200);
  });

  it('never sends a visitor back to another site after the login', async () => {
    const c = h.client();
    const r = await c.post(
      '/login',
      { login: 'admin', password: PASSWORD, next: '//evil.example/' },
      { from: '/login' },
    );
    expect(r.status).toBe(302);
    expect(r.location).toBe('/');
  });
});
