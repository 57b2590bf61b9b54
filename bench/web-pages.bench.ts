import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { addUser } from '../src/app/accounts-service.js';
import { runChecksForApp } from '../src/app/checks-service.js';
import { appConfigSchema } from '../src/app/config.js';
import type { AppContext } from '../src/app/context.js';
import { openMirror } from '../src/mirror/data-source.js';
import { refreshPeriodTotals } from '../src/mirror/projections/index.js';
import type { SqliteDb } from '../src/mirror/sql.js';
import { ManualClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import { Sandbox } from '../src/sandbox/index.js';
import { writeJournalMirror } from './lib/journal-mirror.js';
import { round } from './lib/measure.js';
import type { BenchResult, Figure } from './lib/results.js';

/**
 * bench/web-pages: `ezh serve`'s administration dashboard (/admin) and a class page
 * (/classes/:id) over the large sandbox school with a year of data (its journals written into a
 * SQLite mirror by `journal-mirror.ts`, the period totals built, and the checks run once a week
 * for the last 9 weeks, so the findings have the history the dashboard's trend reads), under 20
 * concurrent logged-in users (20 sessions, cycled over 20 connections) from autocannon on
 * loopback. The server runs in a child process (`lib/web-child.ts`). Baselines in the same run
 * and at the same concurrency: the login page (GET /login: the layout and a session, no data)
 * and a static asset (/static/site.css).
 * Target: p95 < 200 ms for each page (issue 22).
 *
 * `EZH_BENCH_WEB_MIRROR=<file>` keeps the prepared mirror there and reuses it on later runs;
 * `EZH_BENCH_WEB_SECONDS` sets each measurement's duration (default 15).
 */

const USERS = 20;
const WEEK = 7 * 24 * 3600 * 1000;
const HISTORY_WEEKS = 9;
const PASSWORD = 'bench password for the web pages';
const SECONDS = Number(process.env.EZH_BENCH_WEB_SECONDS ?? 15);

interface AutocannonResult {
  latency: { p50: number; p90: number; p97_5: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  path?: string;
  headers?: Record<string, string>;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no types; only its promise form is used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function benchConfig(schoolId: string, zone: string): Record<string, unknown> {
  return {
    platform: { baseUrl: 'http://127.0.0.1:9' },
    schools: [{ id: schoolId, token: 'bench-token', timeZone: zone }],
    checks: { threads: 1 },
    web: {
      host: '127.0.0.1',
      port: 0,
      admins: ['admin'],
      // 20 users log in from one address within a second.
      login: { perIpPerMinute: 1000 },
    },
  };
}

/** Builds the mirror (journals, totals, a weekly check history, accounts) at `path`. */
async function prepareMirror(path: string, sandbox: Sandbox): Promise<Record<string, number>> {
  const school = sandbox.schools[0]!;
  const now = sandbox.now();
  const mirror = await openMirror({ type: 'sqlite', path, schema: 'public' });
  const started = performance.now();
  // No generated sync history: the weekly checks below run as of past instants, and a sync
  // recorded at the sandbox's now would lie in their future (as measured before it existed).
  const gen = writeJournalMirror((mirror.db as SqliteDb).raw, { sandbox, syncHistory: false });
  await refreshPeriodTotals(mirror.db, school.id, now);
  const generatedMs = performance.now() - started;
  const clock = new ManualClock(now - (HISTORY_WEEKS - 1) * WEEK);
  const app: AppContext = {
    config: appConfigSchema.parse(benchConfig(school.id, school.zone)),
    configSource: null,
    logger: createLogger({ level: 'silent' }),
    clock,
    mirror: () => Promise.resolve(mirror),
    close: async () => undefined,
  };
  const checksStarted = performance.now();
  for (let k = HISTORY_WEEKS - 1; k >= 0; k--) {
    clock.set(now - k * WEEK);
    await runChecksForApp(app, { clock });
  }
  const checksMs = performance.now() - checksStarted;
  for (let i = 0; i < USERS; i++) {
    await addUser(
      mirror.db,
      {
        login: i === 0 ? 'admin' : `admin${i}`,
        displayName: `Завуч ${i}`,
        password: PASSWORD,
        personId: null,
        roles: ['admin'],
      },
      Date.now() - 1000,
    );
  }
  await mirror.close();
  return {
    marks: gen.rows.marks ?? 0,
    generateS: round(generatedMs / 1000, 1),
    checksS: round(checksMs / 1000, 1),
  };
}

async function startServer(
  path: string,
  config: Record<string, unknown>,
  now: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'lib', 'web-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, EZH_BENCH_WEB: JSON.stringify({ path, config, now }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`web server process exited with ${code}`)));
    child.once('message', (m) => resolve(m as { url: string }));
  });
  child.removeAllListeners('exit');
  return {
    url: ready.url,
    close: async () => {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/** Logs in as `login` through the form (with its CSRF token); the session's Cookie header. */
async function login(url: string, name: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i).trim(), pair!.slice(i + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${url}/login`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('no CSRF token on /login');
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: name, password: PASSWORD, next: '/', _csrf: token }),
  });
  keep(res);
  if (res.status !== 302) throw new Error(`login of ${name} failed: ${res.status}`);
  return cookie();
}

/** 20 connections for SECONDS, each request with the next user's session. */
async function load(url: string, path: string, cookies: string[]): Promise<AutocannonResult> {
  let next = 0;
  return autocannon({
    url: `${url}${path}`,
    connections: USERS,
    duration: SECONDS,
    // A slow page must be measured, not cut off at autocannon's default 10 s.
    timeout: 120,
    requests: [
      {
        setupRequest: (req: AutocannonRequest) => {
          const cookie = cookies[next++ % cookies.length];
          return cookie ? { ...req, headers: { ...req.headers, cookie } } : req;
        },
      },
    ],
  });
}

/** Waits until one request of `path` alone is answered within 3 s (the server's queue is empty). */
async function drain(url: string, path: string, cookie: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await (await fetch(`${url}${path}`, { headers: { cookie } })).text();
    if (performance.now() - started < 3000) return;
  }
}

export async function run(): Promise<BenchResult> {
  const sandbox = new Sandbox({ size: 'large', seed: 1 });
  const school = sandbox.schools[0]!;
  const now = sandbox.now();
  const kept = process.env.EZH_BENCH_WEB_MIRROR;
  const dir = kept ? null : mkdtempSync(join(tmpdir(), 'ezh-bench-web-'));
  const path = kept ?? join(dir!, 'mirror.sqlite');
  const notes: string[] = [];
  try {
    if (!existsSync(path)) {
      // Built aside and renamed: a run stopped half-way leaves no half-built mirror to reuse.
      const prep = await prepareMirror(`${path}.partial`, sandbox);
      renameSync(`${path}.partial`, path);
      notes.push(
        `mirror: ${prep.marks} marks generated in ${prep.generateS} s; checks run as of ${HISTORY_WEEKS} weekly instants in ${prep.checksS} s`,
      );
    } else notes.push(`mirror reused from ${path}`);
    const probe = await openMirror({ type: 'sqlite', path, schema: 'public' });
    const [big] = await probe.db.query<{ class_id: string; n: number }>(
      `SELECT f.class_id, count(*) AS n FROM findings f JOIN classes c ON c.id = f.class_id
        WHERE f.resolved_at IS NULL GROUP BY f.class_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const [events] = await probe.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM finding_events',
    );
    const [open] = await probe.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM findings WHERE resolved_at IS NULL',
    );
    await probe.close();
    if (!big) throw new Error('no class with findings in the mirror');
    notes.push(
      `${open?.n} unresolved findings, ${events?.n} finding events; class page: the class with the most (${big.n})`,
    );

    const server = await startServer(path, benchConfig(school.id, school.zone), now);
    try {
      const cookies: string[] = [];
      for (let i = 0; i < USERS; i++) {
        cookies.push(await login(server.url, i === 0 ? 'admin' : `admin${i}`));
      }
      const targets: { name: string; path: string; page: boolean; anonymous?: boolean }[] = [
        { name: 'static /static/site.css', path: '/static/site.css', page: false },
        { name: 'login page GET /login', path: '/login', page: false, anonymous: true },
        { name: 'dashboard /admin', path: '/admin', page: true },
        {
          name: 'class page /classes/:id',
          path: `/classes/${encodeURIComponent(big.class_id)}`,
          page: true,
        },
      ];
      // Warm-up: views compiled, SQLite's pages in memory, and the pages' read cache filled. The
      // first view of a page is what the first viewer after each sync or check run waits for
      // (the cache is keyed by the data version): timed on its own.
      const figures: Figure[] = [];
      for (const t of targets) {
        const started = performance.now();
        const res = await fetch(`${server.url}${t.path}`, {
          headers: t.anonymous ? {} : { cookie: cookies[0]! },
        });
        if (res.status !== 200) throw new Error(`${t.path}: ${res.status}`);
        await res.text();
        if (t.page) {
          figures.push({
            name: `${t.name}, first view after a change of the data (one request, cache empty)`,
            value: round(performance.now() - started, 1),
            unit: 'ms',
          });
        }
      }
      const sizes: Record<string, unknown>[] = [];
      let baselineP95 = 0;
      for (const t of targets) {
        const load1 = loadavg()[0]!;
        // The login page as an anonymous visitor sees it (a logged-in one is redirected).
        const r = await load(server.url, t.path, t.anonymous ? [''] : cookies);
        if (r.non2xx > 0) throw new Error(`${t.path}: ${r.non2xx} answers not 2xx`);
        // autocannon stops at the duration, but the server still renders the requests queued by
        // then: let it finish them, or they are counted against the next page.
        if (t.page) await drain(server.url, t.path, cookies[0]!);
        // autocannon reports p97.5, not p95: p95 is read from its p90..p97.5 by linear
        // interpolation, an estimate named as such in the figures.
        const p95 = round(r.latency.p90 + ((r.latency.p97_5 - r.latency.p90) * 5) / 7.5, 1);
        sizes.push({
          page: t.name,
          requests: r.requests.total,
          reqPerS: round(r.requests.average, 1),
          p50: r.latency.p50,
          p90: r.latency.p90,
          p95,
          p97_5: r.latency.p97_5,
          p99: r.latency.p99,
          max: r.latency.max,
          errors: r.errors,
          timeouts: r.timeouts,
          load1: round(load1, 1),
        });
        if (t.name.startsWith('login')) baselineP95 = p95;
        if (t.page) {
          figures.push({
            name: `${t.name}, p95 at ${USERS} users`,
            value: p95,
            unit: 'ms',
            baseline: baselineP95,
            ratio: baselineP95 > 0 ? round(p95 / baselineP95, 1) : undefined,
            target: '< 200 ms',
            met: r.requests.total > 0 && p95 < 200,
          });
          figures.push({ name: `${t.name}, p50`, value: r.latency.p50, unit: 'ms' });
          figures.push({ name: `${t.name}, p99`, value: r.latency.p99, unit: 'ms' });
          figures.push({
            name: `${t.name}, requests/s`,
            value: round(r.requests.average, 1),
            unit: 'req/s',
          });
        } else {
          figures.push({ name: `${t.name} (baseline), p95`, value: p95, unit: 'ms' });
          figures.push({
            name: `${t.name} (baseline), requests/s`,
            value: round(r.requests.average, 1),
            unit: 'req/s',
          });
        }
      }
      notes.push(
        `load average (1 min) at the start: ${loadavg()
          .map((x) => round(x, 1))
          .join(' ')}`,
      );
      return {
        name: 'web-pages',
        description: `ezh serve: /admin and a class page of the large sandbox school (a year, ${HISTORY_WEEKS} weekly check runs) under ${USERS} concurrent logged-in users, autocannon on loopback, ${SECONDS} s each`,
        figures,
        sizes,
        notes,
      };
    } finally {
      await server.close();
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
