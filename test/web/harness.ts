import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appConfigSchema } from '../../src/app/config.js';
import type { AppContext } from '../../src/app/context.js';
import { addUser, sampleTeachers } from '../../src/app/accounts-service.js';
import { runChecksForApp } from '../../src/app/checks-service.js';
import type { Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/platform/logger.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import type { Role } from '../../src/web/page.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../src/web/server.js';
import { createTestMirror, type Engine, type TestMirror } from '../helpers/mirrors.js';
import { syncSandboxSchool } from '../helpers/sandbox-sync.js';

/**
 * A real `ezh serve` server on an ephemeral loopback port over a test mirror of the sandbox school
 * (synced once), with a local account for each role, and a cookie-keeping client that logs in and
 * posts forms with their CSRF token. For the web tests of every page:
 *
 *   const h = await startWebHarness();            // afterAll(() => h.close())
 *   const admin = await h.loginAs('admin');
 *   const page = await admin.get('/ict/sync');    // { status, text, location, headers }
 *   await admin.post('/some/action', { reason: '…' });   // CSRF token fetched from `from` (default '/')
 */

export const PASSWORD = 'correct horse battery staple';

export interface HarnessOptions {
  engine?: Engine;
  /** Overrides of the config's `web` section. */
  web?: Record<string, unknown>;
  /** Further config overrides (sections other than web). */
  config?: Record<string, unknown>;
  /** Sync the sandbox school into the mirror (default true); false: an empty mirror. */
  sync?: boolean;
  /** Run the checks after the sync, so there are findings (default false). */
  checks?: boolean;
  /** Hostile or special data put into the mirror before the server starts. */
  prepare?(h: { app: AppContext; mirror: TestMirror; sandbox: SandboxServer }): Promise<void>;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  server?: Partial<WebServerOptions>;
}

export interface RoleAccount {
  login: string;
  password: string;
  personId: string | null;
}

export interface WebHarness {
  url: string;
  app: AppContext;
  mirror: TestMirror;
  sandbox: SandboxServer;
  web: WebServer;
  /** One account per role (classTeacher and subjectTeacher linked to sandbox teachers). */
  accounts: Record<Role, RoleAccount>;
  /** The server's wall clock (sessions, throttles); `advance` moves it. */
  now(): number;
  advance(ms: number): void;
  client(): WebClient;
  loginAs(role: Role): Promise<WebClient>;
  /** Adds a local account (password `PASSWORD` unless given). */
  addUser(
    login: string,
    opts?: { roles?: ('admin' | 'ict')[]; personId?: string | null; password?: string },
  ): Promise<RoleAccount>;
  close(): Promise<void>;
}

export async function startWebHarness(options: HarnessOptions = {}): Promise<WebHarness> {
  const sandbox = await startSandbox({ size: 'small', seed: '1' });
  const mirror = await createTestMirror(options.engine ?? 'sqlite');
  // Documents ordered on the site (`<outDir>/web-renders/`): a folder of this server's own.
  const outDir = mkdtempSync(join(tmpdir(), 'ezh-web-out-'));
  const config: Config = appConfigSchema.parse({
    platform: {
      baseUrl: sandbox.url,
      requestsPerSecond: 100,
      concurrency: 8,
      timeoutMs: 10_000,
      oauth: { authorizeUrl: sandbox.oauthUrl, clientId: 'ezh-test', clientSecret: 'test-secret' },
    },
    schools: sandbox.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
    jobs: { backoffMs: 50, afterSync: [] },
    outDir,
    ...options.config,
    web: { host: '127.0.0.1', port: 0, ...options.web },
  });
  const logger = createLogger({ level: 'silent' });
  const app: AppContext = {
    config,
    configSource: null,
    logger,
    clock: sandbox.clock,
    mirror: () => Promise.resolve(mirror),
    close: async () => undefined,
  };
  let nowMs = Date.now();
  if (options.sync !== false) {
    await syncSandboxSchool(mirror.db, config, sandbox.clock, sandbox.schools[0]!.id, {
      full: true,
    });
    if (options.checks) await runChecksForApp(app, { clock: sandbox.clock });
  }
  await options.prepare?.({ app, mirror, sandbox });

  const addAccount: WebHarness['addUser'] = async (login, opts = {}) => {
    const password = opts.password ?? PASSWORD;
    await addUser(
      mirror.db,
      {
        login,
        displayName: `Тест ${login}`,
        password,
        roles: opts.roles ?? [],
        personId: opts.personId ?? null,
      },
      nowMs - 1,
    );
    return { login, password, personId: opts.personId ?? null };
  };
  const teachers =
    options.sync !== false
      ? await sampleTeachers(mirror.db, sandbox.schools[0]!.id)
      : { classTeacher: null, subjectTeacher: null };
  const accounts: Record<Role, RoleAccount> = {
    admin: await addAccount('admin', { roles: ['admin'] }),
    ict: await addAccount('ict', { roles: ['ict'] }),
    classTeacher: await addAccount('classteacher', { personId: teachers.classTeacher }),
    subjectTeacher: await addAccount('teacher', { personId: teachers.subjectTeacher }),
  };

  const web = await startWebServer({
    app,
    host: options.host ?? '127.0.0.1',
    port: 0,
    now: () => nowMs,
    ...options.server,
  });
  const h: WebHarness = {
    url: web.url,
    app,
    mirror,
    sandbox,
    web,
    accounts,
    now: () => nowMs,
    advance: (ms) => {
      nowMs += ms;
    },
    client: () => new WebClient(web.url),
    loginAs: async (role) => {
      const c = new WebClient(web.url);
      const r = await c.login(accounts[role].login, accounts[role].password);
      if (r.status !== 302) throw new Error(`login as ${role} failed: ${r.status} ${r.text}`);
      return c;
    },
    addUser: addAccount,
    close: async () => {
      await web.close();
      await mirror.dispose();
      await sandbox.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
  return h;
}

export interface WebResponse {
  status: number;
  text: string;
  headers: Headers;
  /** The redirect target of a 3xx, as sent. */
  location: string | null;
}

/** A browser-like client: keeps cookies, never follows redirects (tests look at them). */
export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** The `Cookie` header this client sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A second client with the same cookies (a copied session). */
  clone(): WebClient {
    const c = new WebClient(this.baseUrl);
    for (const [k, v] of this.cookies) c.cookies.set(k, v);
    return c;
  }

  async request(
    method: string,
    path: string,
    init: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<WebResponse> {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') {
        this.cookies.delete(name);
      } else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      text: await res.text(),
      headers: res.headers,
      location: res.headers.get('location'),
    };
  }

  get(path: string, headers?: Record<string, string>): Promise<WebResponse> {
    return this.request('GET', path, { headers });
  }

  /** The CSRF token of the form on page `from`. */
  async csrfToken(from = '/'): Promise<string> {
    const page = await this.get(from);
    const token = csrfIn(page.text);
    if (!token) throw new Error(`no CSRF token on ${from} (status ${page.status})`);
    return token;
  }

  /**
   * Posts a form. `csrf`: a token, `false` for none, or (default) the one of page `from`.
   */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: string | false; from?: string; headers?: Record<string, string> } = {},
  ): Promise<WebResponse> {
    const token =
      opts.csrf === false ? null : (opts.csrf ?? (await this.csrfToken(opts.from ?? '/')));
    const form = token === null ? fields : { ...fields, _csrf: token };
    return this.request('POST', path, { form, headers: opts.headers });
  }

  async login(login: string, password: string): Promise<WebResponse> {
    return this.post('/login', { login, password, next: '/' }, { from: '/login' });
  }
}

export function csrfIn(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}
