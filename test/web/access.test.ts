import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentAudit } from '../../src/app/accounts-service.js';
import type { Role } from '../../src/web/page.js';
import { startWebHarness, WebClient, type WebHarness } from './harness.js';

/** What the platform may send in any text field: markup and template syntax. */
const HOSTILE = '<script>alert(1)</script> {{7*7}}';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

const ICT_PAGES = [
  '/ict/sync',
  '/ict/quarantine',
  '/ict/events',
  '/ict/archives',
  '/ict/config',
  '/ict/audit',
];
const OTHER_ROLES: Role[] = ['admin', 'classTeacher', 'subjectTeacher'];

describe('web access: ICT pages, OAuth through the sandbox, hostile platform text', () => {
  let h: WebHarness;
  let hostilePerson: string;
  beforeAll(async () => {
    h = await startWebHarness({
      web: { oauth: { enabled: true } },
      prepare: async ({ mirror, app }) => {
        const db = mirror.db;
        const school = app.config.schools[0]!.id;
        // A failed sync whose error, a quarantined record and an operator event quote the platform.
        const [run] = await db.query<{ id: string }>(
          'SELECT id FROM sync_runs ORDER BY started_at DESC LIMIT 1',
        );
        await db.run(`UPDATE sync_runs SET status = 'failed', error = ? WHERE id = ?`, [
          `platform said: ${HOSTILE}`,
          run!.id,
        ]);
        await db.run(
          `INSERT INTO quarantine (source, school_id, stream, record_ref, reason, payload, observed_at, sync_run_id)
           VALUES ('dnevnik', ?, 'lessons', ?, ?, '{}', ?, ?)`,
          [school, HOSTILE, `bad topic ${HOSTILE}`, Date.now(), run!.id],
        );
        await db.run(
          `INSERT INTO operator_events (at, kind, severity, school_id, message, details, acknowledged_at)
           VALUES (?, 'drift', 'warning', ?, ?, NULL, NULL)`,
          [Date.now(), school, `lesson topic ${HOSTILE}`],
        );
      },
    });
    hostilePerson = h.accounts.subjectTeacher.personId!;
    await h.mirror.db.run('UPDATE persons SET full_name = ? WHERE id = ?', [
      HOSTILE,
      hostilePerson,
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows the ICT engineer every ICT page, with the failed sync and the platform text escaped', async () => {
    const ict = await h.loginAs('ict');
    for (const path of ICT_PAGES) {
      const r = await ict.get(path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toContain('<script>alert(1)</script>');
    }
    const sync = await ict.get('/ict/sync');
    expect(sync.text).toContain('ошибка');
    expect(sync.text).toContain(`platform said: ${ESCAPED} {{7*7}}`);
    const quarantine = await ict.get('/ict/quarantine');
    expect(quarantine.text).toContain(`bad topic ${ESCAPED} {{7*7}}`);
    const events = await ict.get('/ict/events');
    expect(events.text).toContain(`lesson topic ${ESCAPED} {{7*7}}`);
  });

  it('shows the configuration with its secrets redacted', async () => {
    const ict = await h.loginAs('ict');
    const r = await ict.get('/ict/config');
    expect(r.text).toContain('[redacted]');
    expect(r.text).not.toContain('test-secret');
    expect(r.text).not.toContain(h.sandbox.schools[0]!.token);
  });

  it('refuses the ICT pages to every other role (403) and sends the anonymous to the login', async () => {
    for (const role of OTHER_ROLES) {
      const c = await h.loginAs(role);
      for (const path of ICT_PAGES) {
        const r = await c.get(path);
        expect(r.status, `${role} ${path}`).toBe(403);
        expect(r.text).toContain('Нет доступа');
      }
      const action = await c.post('/ict/archives/verify', { file: 'x.tar.gz' });
      expect(action.status, `${role} verify`).toBe(403);
    }
    for (const path of ICT_PAGES) {
      const r = await h.client().get(path);
      expect(r.status).toBe(302);
      expect(r.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('answers 404 for an object that is not there, and for an unknown page', async () => {
    const ict = await h.loginAs('ict');
    expect((await ict.post('/ict/archives/verify', { file: 'no-such.tar.gz' })).status).toBe(404);
    expect((await ict.get('/no/such/page')).status).toBe(404);
  });

  /** The sandbox platform's login page, as a browser would follow it, logging in as `personId`. */
  async function platformLogin(c: WebClient, personId: string, tamper = false) {
    const start = await c.get('/auth/platform?next=%2Fict%2Fsync');
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(h.sandbox.oauthUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${h.url}/auth/platform/callback`);
    expect(authorize.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    const form = await fetch(authorize);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<select name="person_id"');
    authorize.searchParams.set('person_id', personId);
    if (tamper) authorize.searchParams.set('state', 'f'.repeat(32));
    const back = await fetch(authorize, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const callback = new URL(back.headers.get('location')!);
    return c.get(`${callback.pathname}${callback.search}`);
  }

  it('logs a class teacher in through the platform’s OAuth, with the roles the mirror gives', async () => {
    const c = h.client();
    const done = await platformLogin(c, h.accounts.classTeacher.personId!);
    expect(done.status).toBe(302);
    expect(done.location).toBe('/ict/sync');
    const home = await c.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('классный руководитель');
    expect((await c.get('/ict/sync')).status).toBe(403);
    const audit = await recentAudit(h.mirror.db, 50);
    expect(
      audit.some(
        (a) =>
          a.kind === 'login' &&
          a.actor === `platform:${h.accounts.classTeacher.personId}` &&
          a.detail === 'oauth',
      ),
    ).toBe(true);
  });

  it('escapes a hostile name from the platform in the page header', async () => {
    const c = h.client();
    expect((await platformLogin(c, hostilePerson)).status).toBe(302);
    const home = await c.get('/');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('<script>alert(1)</script>');
    expect(home.text).toContain(`${ESCAPED} {{7*7}}`);
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    const c = h.client();
    const r = await platformLogin(c, h.accounts.classTeacher.personId!, true);
    expect(r.status).toBe(302);
    expect(r.location).toBe('/login?error=state');
    expect((await c.get('/')).status).toBe(302);
  });

  it('does not log in a platform person the school gives no role', async () => {
    const admin = h.sandbox.sandbox.schools[0]!.admin;
    const c = h.client();
    const r = await platformLogin(c, admin.id);
    expect(r.location).toBe('/login?error=norole');
    expect((await c.get('/')).status).toBe(302);
    expect((await c.get(r.location!)).text).toContain('не связана со школой');
  });

  it('does not accept an authorization code twice', async () => {
    const c = h.client();
    const start = await c.get('/auth/platform');
    const authorize = new URL(start.location!);
    authorize.searchParams.set('person_id', h.accounts.classTeacher.personId!);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    expect((await c.get(`${back.pathname}${back.search}`)).location).toBe('/');
    // The same code again, with a fresh state of a new round trip.
    const again = h.client();
    const start2 = await again.get('/auth/platform');
    const state2 = new URL(start2.location!).searchParams.get('state')!;
    back.searchParams.set('state', state2);
    const r = await again.get(`${back.pathname}${back.search}`);
    expect(r.location).toBe('/login?error=platform');
  });
});
