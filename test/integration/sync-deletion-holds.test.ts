import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { spawnCli } from '../helpers/cli-process.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { editJson, startRewritingProxy, type RewritingProxy } from '../helpers/rewriting-proxy.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

/**
 * Issue 23, data loss 1–3, across the Dnevnik connector: the sandbox platform behind a proxy that
 * sends a lesson without its subject, an empty class list, or a `null` body. Nothing the platform
 * did not really delete may disappear from the mirror, and `ezh sync` must say when it held
 * deletions back (exit code 3, status `held`) until `--confirm-deletions`.
 */

describe('deletions held back against the sandbox platform', () => {
  let sb: SandboxServer;
  let proxy: RewritingProxy;
  let schoolId: string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 23 });
    proxy = await startRewritingProxy(sb.url);
    schoolId = sb.schools[0]!.id;
  });

  afterAll(async () => {
    await proxy?.close();
    await sb?.close();
  });

  const config = (extra: Record<string, unknown> = {}) =>
    sandboxConfig({ url: proxy.url, schools: sb.schools }, extra);

  it('keeps the homework of a lesson the platform sends with "subject": null', async () => {
    const m: TestMirror = await createTestMirror('sqlite');
    try {
      proxy.rewrite = null;
      expect((await syncSandboxSchool(m.db, config(), sb.clock, schoolId)).status).toBe(
        'succeeded',
      );
      const lesson = (
        await m.db.query<{ id: string }>(
          `SELECT l.id FROM lessons l JOIN works w ON w.lesson_id = l.id AND w.type = 'Homework'
           WHERE l.deleted_at IS NULL AND w.deleted_at IS NULL ORDER BY l.date DESC, l.id LIMIT 1`,
        )
      )[0]!;
      proxy.rewrite = (path, body) =>
        /^edu-groups\/\d+\/lessons\//.test(path)
          ? editJson(body, (list) =>
              (list as Record<string, unknown>[]).map((l) =>
                l.id_str === lesson.id ? { ...l, subject: null } : l,
              ),
            )
          : undefined;
      await syncSandboxSchool(m.db, config(), sb.clock, schoolId, { full: true });
      const gone = await m.db.query<{ id: string }>(
        `SELECT id FROM works WHERE lesson_id = ? AND deleted_at IS NOT NULL
         UNION ALL SELECT id FROM attendance WHERE lesson_id = ? AND deleted_at IS NOT NULL
         UNION ALL SELECT id FROM lessons WHERE id = ? AND deleted_at IS NOT NULL`,
        [lesson.id, lesson.id, lesson.id],
      );
      expect(gone).toEqual([]);
      const quarantined = await m.db.query<{ ref: string }>(
        "SELECT * FROM quarantine WHERE stream = 'lessons'",
      );
      expect(quarantined.length).toBeGreaterThan(0);
    } finally {
      proxy.rewrite = null;
      await m.dispose();
    }
  }, 240_000);

  it('fails on a null or empty class list body instead of deleting the classes', async () => {
    const m: TestMirror = await createTestMirror('sqlite');
    try {
      proxy.rewrite = null;
      await syncSandboxSchool(m.db, config(), sb.clock, schoolId);
      const classes = await m.db.query('SELECT id FROM classes WHERE deleted_at IS NULL');
      expect(classes.length).toBeGreaterThan(0);
      let n = 0;
      proxy.rewrite = (path) =>
        /^schools\/\d+\/edu-groups$/.test(path) ? ['', 'null'][n++ % 2] : undefined;
      const run = syncSandboxSchool(
        m.db,
        config({
          platform: { baseUrl: proxy.url, maxRetries: 1, requestsPerSecond: 100 },
        }),
        sb.clock,
        schoolId,
      );
      await expect(run).rejects.toThrow(/(empty|null) reply/);
      expect(await m.db.query('SELECT id FROM classes WHERE deleted_at IS NULL')).toEqual(classes);
    } finally {
      proxy.rewrite = null;
      await m.dispose();
    }
  }, 240_000);

  it('`ezh sync` exits 3 and `ezh status` says held on an empty class list until --confirm-deletions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ezh-held-'));
    const dbPath = join(dir, 'mirror.sqlite');
    const configFile = join(dir, 'ezh.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { type: 'sqlite', path: dbPath },
        platform: { baseUrl: proxy.url, requestsPerSecond: 100, concurrency: 8, maxRetries: 3 },
        schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
        jobs: { afterSync: [] },
        log: { level: 'warn' },
        sync: { progress: 'off' },
      }),
    );
    const ezh = (...args: string[]) =>
      spawnCli(['--config', configFile, ...args], { cwd: dir }).exited;
    const liveClasses = () => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return (
          db.prepare('SELECT count(*) AS n FROM classes WHERE deleted_at IS NULL').get() as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    };
    try {
      proxy.rewrite = null;
      const first = await ezh('sync', '--school', schoolId);
      expect(first.code, first.out).toBe(0);
      const classes = liveClasses();
      expect(classes).toBeGreaterThan(0);

      proxy.rewrite = (path) => (/^schools\/\d+\/edu-groups$/.test(path) ? '[]' : undefined);
      const held = await ezh('sync', '--school', schoolId);
      expect(held.code, held.out).toBe(3);
      expect(held.stdout).toMatch(/ held, /);
      expect(held.stdout).toContain('--confirm-deletions');
      expect(liveClasses()).toBe(classes);

      const status = await ezh('status');
      expect(status.code, status.out).toBe(0);
      expect(status.stdout).toMatch(/\bheld\b/);
      expect(status.stdout).toContain('mass_deletion_refused');

      // The operator checked: the classes are really gone. The confirmation applies it.
      const confirmed = await ezh('sync', '--school', schoolId, '--confirm-deletions');
      expect(confirmed.code, confirmed.out).toBe(0);
      expect(confirmed.stdout).toMatch(/\(confirm\) succeeded/);
      expect(liveClasses()).toBe(0);
    } finally {
      proxy.rewrite = null;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
