import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { runCli, TSX_LOADER } from '../helpers/cli.js';
import { spawnCli } from '../helpers/cli-process.js';

/**
 * Issue 23 item 12: failures a user meets on the command line get a clear `ezh: ` message, the
 * right exit code and no stack: a bad database path, an unknown class, the platform down, two
 * first syncs at once, a closed pipe; and `--log-level trace` logs each platform request.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const STACK = /\n\s+at \S+ \(/;

function writeConfig(dir: string, name: string, config: object): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** A local port with nothing listening: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('clear errors of the CLI', () => {
  let sb: SandboxServer;
  let dir: string;
  let schoolId: string;
  let config: (db: string, extra?: object) => string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 12 });
    schoolId = sb.schools[0]!.id;
    dir = mkdtempSync(join(tmpdir(), 'ezh-cli-errors-'));
    let n = 0;
    config = (db, extra = {}) =>
      writeConfig(dir, `ezh-${++n}.yaml`, {
        database: { type: 'sqlite', path: join(dir, db) },
        platform: { baseUrl: sb.url, requestsPerSecond: 100, concurrency: 8, maxRetries: 4 },
        schools: [{ id: schoolId, token: sb.schools[0]!.token, timeZone: sb.schools[0]!.timeZone }],
        jobs: { afterSync: [] },
        log: { level: 'warn', format: 'json' },
        ...extra,
      });
  });

  afterAll(async () => {
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'a database path under a file or under /proc: exit 2 naming database.path, no hang',
    {
      timeout: 180_000,
    },
    () => {
      writeFileSync(join(dir, 'a-file'), 'x');
      for (const [path, reason] of [
        [join(dir, 'a-file', 'mirror.sqlite'), `${join(dir, 'a-file')} is a file, not a folder`],
        ['/proc/ezh/mirror.sqlite', 'cannot create the folder /proc/ezh (ENOENT)'],
      ] as const) {
        const file = writeConfig(dir, 'bad-path.yaml', { database: { type: 'sqlite', path } });
        const r = runCli(['--config', file, 'status'], { timeoutMs: 60_000 });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toBe(
          `ezh: the mirror database cannot be created\n  - database.path: ${path}: ${reason}\n`,
        );
      }
    },
  );

  it(
    '--class with an unknown class: exit 2 listing the known ones (first sync and later), trace logs each request',
    { timeout: 240_000 },
    async () => {
      const file = config('class.sqlite');
      const first = await spawnCli([
        '--config',
        file,
        '--log-level',
        'trace',
        'sync',
        '--class',
        '9Я',
      ]).exited;
      expect(first.code, first.out).toBe(2);
      const message = (name: string) =>
        `\nezh: --class: no class ${name} in school ${schoolId}; known: 1А, 2А, 5А, 10А\n`;
      expect(`\n${first.out}`).toContain(message('9Я'));
      expect(first.out).not.toMatch(STACK);
      expect(first.out).not.toContain('"stack"');
      // Trace: every platform request, without its token.
      const requests = first.out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string; endpoint?: string })
        .filter((l) => l.msg === 'platform request');
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.every((l) => l.level === 10 && /^GET \S+/.test(l.endpoint ?? ''))).toBe(true);
      expect(first.out).not.toContain(sb.schools[0]!.token);

      const synced = await spawnCli(['--config', file, 'sync']).exited;
      expect(synced.code, synced.out).toBe(0);
      const again = await spawnCli(['--config', file, 'sync', '--class', '9я']).exited;
      expect(again.code, again.out).toBe(2);
      expect(`\n${again.out}`).toContain(message('9я'));
      // The jobs door refuses it the same way, before anything is queued (no Redis is configured:
      // it never gets that far).
      const queued = await spawnCli(['--config', file, 'jobs', 'run', 'sync', '--class', '9Я'])
        .exited;
      expect(queued.code, queued.out).toBe(2);
      expect(`\n${queued.out}`).toContain(message('9Я'));
      expect(queued.out).not.toMatch(STACK);
      expect(queued.out).not.toContain('queued');
      const mirror = await openMirror({
        type: 'sqlite',
        path: join(dir, 'class.sqlite'),
        schema: 'public',
      });
      try {
        // Refused before a run started, on the first sync too (the platform's class list is read
        // first; issue 18: it used to record a partial run and a sync_failed event): only the
        // full run, and no operator event.
        const runs = await mirror.db.query<{ status: string }>(
          'SELECT status FROM sync_runs ORDER BY started_at',
        );
        expect(runs.map((r) => r.status)).toEqual(['succeeded']);
        const events = await mirror.db.query<{ kind: string }>('SELECT kind FROM operator_events');
        expect(events.map((e) => e.kind)).not.toContain('sync_failed');
      } finally {
        await mirror.close();
      }
      expect(again.out).not.toMatch(STACK);

      // `ezh check | head -1`, and a reader gone before ezh writes anything (`| true`, every
      // write then fails with EPIPE): ezh ends quietly with 0.
      for (const reader of ['head -1', 'true']) {
        const piped = spawnSync(
          'bash',
          [
            '-c',
            `set -o pipefail; node --import ${TSX_LOADER} src/cli/main.ts --config ${file} check | ${reader}`,
          ],
          { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
        );
        expect(piped.status, `${reader}: ${piped.stderr}`).toBe(0);
        expect(piped.stdout.split('\n')).toHaveLength(reader === 'true' ? 1 : 2);
        expect(piped.stderr).not.toMatch(/EPIPE|at \S+ \(/);
      }
    },
  );

  it(
    'the platform down: fails fast after the connector’s retries, prints the summary, exit 1',
    { timeout: 240_000 },
    async () => {
      const file = config('down.sqlite', {
        platform: { baseUrl: `http://127.0.0.1:${await closedPort()}`, maxRetries: 2 },
      });
      const r = await spawnCli(['--config', file, 'sync']).exited;
      expect(r.code, r.out).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`^School ${schoolId}: run \\S+ \\(incremental\\) failed, 0/0 scopes`, 'm'),
      );
      expect(r.out).toMatch(/^ezh: the platform is unreachable: .*ECONNREFUSED/m);
      expect(r.out).not.toMatch(STACK);
      // From the first refused call to the exit: the connector's retries, not minutes of job
      // retries on top of them.
      const firstRetry = r.out
        .split('\n')
        .filter((l) => l.includes('"platform call failed; retrying"'))
        .map((l) => Date.parse((JSON.parse(l) as { time: string }).time))[0]!;
      expect(r.at - firstRetry).toBeLessThan(10_000);
      const mirror = await openMirror({
        type: 'sqlite',
        path: join(dir, 'down.sqlite'),
        schema: 'public',
      });
      try {
        const runs = await mirror.db.query<{ status: string }>('SELECT status FROM sync_runs');
        expect(runs).toEqual([{ status: 'failed' }]);
        const events = await mirror.db.query('SELECT kind FROM operator_events');
        expect(events).toEqual([{ kind: 'sync_failed' }]);
      } finally {
        await mirror.close();
      }
    },
  );

  it(
    'two first syncs at once: one syncs, the other succeeds after it or exits 2 naming it; never "database is locked"',
    { timeout: 240_000 },
    async () => {
      const file = config('twice.sqlite');
      const [a, b] = await Promise.all([
        spawnCli(['--config', file, 'sync']).exited,
        spawnCli(['--config', file, 'sync']).exited,
      ]);
      const codes = [a.code, b.code].sort();
      expect(
        [
          [0, 0],
          [0, 2],
        ],
        a.out + b.out,
      ).toContainEqual(codes);
      for (const r of [a, b]) {
        expect(r.out).not.toMatch(/locked|unexpected failure/i);
        if (r.code === 2) {
          expect(r.out).toMatch(
            new RegExp(`^ezh: a sync of school ${schoolId} is running \\(pid \\d+ on host`, 'm'),
          );
        }
      }
    },
  );
});
