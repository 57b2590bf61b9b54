import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorForSchool } from '../../src/connectors/registry.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { verifyMirror, type MirrorComparison } from '../../src/sync/verify-mirror.js';
import { spawnCli } from '../helpers/cli-process.js';
import { createTestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

/**
 * `ezh verify-mirror`: the mirror read against the platform. Equal after a sync; a mark removed,
 * a lesson changed and a row the platform never had are each named by id (and by nothing else),
 * with exit 1; the platform itself is only read.
 */
describe('ezh verify-mirror', () => {
  let sb: SandboxServer;
  let dir: string;
  let dbPath: string;
  let configFile: string;
  let schoolId: string;

  const verify = async (): Promise<MirrorComparison> => {
    const config = sandboxConfig(sb);
    const school = config.schools.find((s) => s.id === schoolId)!;
    const connector = connectorForSchool(config, school);
    const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    try {
      return await verifyMirror({ db: mirror.db, connector, config, clock: sb.clock }, schoolId);
    } finally {
      await connector.close();
      await mirror.close();
    }
  };

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 41 });
    schoolId = sb.schools[0]!.id;
    dir = mkdtempSync(join(tmpdir(), 'ezh-verify-'));
    dbPath = join(dir, 'mirror.sqlite');
    const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    try {
      const run = await syncSandboxSchool(mirror.db, sandboxConfig(sb), sb.clock, schoolId);
      expect(run.status).toBe('succeeded');
    } finally {
      await mirror.close();
    }
    configFile = join(dir, 'ezh.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { type: 'sqlite', path: dbPath },
        platform: { baseUrl: sb.url, requestsPerSecond: 100, concurrency: 8 },
        schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
      }),
    );
  }, 300_000);

  afterAll(async () => {
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the mirror equal to the platform after a sync, with the platform counts', async () => {
    const requestsBefore = sb.requestCount();
    const c = await verify();
    expect(c.streams.filter((s) => !isClean(s))).toEqual([]);
    expect(c.equal).toBe(true);
    expect(Object.fromEntries(c.streams.map((s) => [s.stream, s.platform]))).toEqual(
      sb.counts(schoolId),
    );
    expect(c.streams.every((s) => s.mirror === s.platform)).toBe(true);
    expect(sb.requestCount() - requestsBefore).toBe(c.requests);
  }, 120_000);

  /** The CLI in a child process: the sandbox answers from this process, so it must not block. */
  const cli = async (...args: string[]) => {
    const res = await spawnCli(['--config', configFile, 'verify-mirror', ...args], {
      env: { EZH_LOG_LEVEL: 'warn' },
    }).exited;
    return { code: res.code, stdout: res.stdout, stderr: res.out };
  };

  it('exits 0 through the CLI with a table and an EQUAL verdict', async () => {
    const res = await cli();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^stream\s+platform\s+mirror\s+missing\s+extra\s+different/m);
    expect(res.stdout).toMatch(/^marks\s+\d+\s+\d+\s+0\s+0\s+0/m);
    expect(res.stdout).toMatch(/^EQUAL: the mirror equals the platform/m);
  }, 150_000);

  it('names a lost mark, a changed lesson and an extra row by id, exit 1, no personal data', async () => {
    const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    let lost: string;
    let changed: string;
    let student: { id: string; last_name: string };
    try {
      const db = mirror.db;
      lost = (await db.query<{ id: string }>('SELECT id FROM marks ORDER BY id LIMIT 1'))[0]!.id;
      changed = (await db.query<{ id: string }>('SELECT id FROM lessons ORDER BY id LIMIT 1'))[0]!
        .id;
      student = (
        await db.query<{ id: string; last_name: string }>(
          "SELECT id, last_name FROM persons WHERE role = 'student' ORDER BY id LIMIT 1",
        )
      )[0]!;
      await db.run('UPDATE marks SET deleted_at = 1 WHERE id = ?', [lost]);
      await db.run(`UPDATE lessons SET content_hash = 'tampered' WHERE id = ?`, [changed]);
      await db.run(`UPDATE persons SET content_hash = 'tampered' WHERE id = ?`, [student.id]);
      await db.run(
        `INSERT INTO subjects (source, id, school_id, content_hash, version, first_seen_at, last_seen_at, deleted_at, name, knowledge_area)
         VALUES ('dnevnik', 'ghost-1', ?, 'x', 1, 0, 0, NULL, 'Призрак', NULL)`,
        [schoolId],
      );
    } finally {
      await mirror.close();
    }
    const c = await verify();
    expect(c.equal).toBe(false);
    const by = Object.fromEntries(c.streams.map((s) => [s.stream, s]));
    expect(by.marks!.missing).toEqual([lost]);
    expect(by.lessons!.different).toEqual([changed]);
    expect(by.persons!.different).toEqual([student.id]);
    expect(by.subjects!.extra).toEqual(['ghost-1']);
    expect(
      c.streams
        .filter((s) => !['marks', 'lessons', 'persons', 'subjects'].includes(s.stream))
        .every(isClean),
    ).toBe(true);

    const res = await cli();
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain(`marks missing from the mirror (1): ${lost}`);
    expect(res.stdout).toContain(`lessons different (1): ${changed}`);
    expect(res.stdout).toContain('subjects in the mirror, not on the platform (1): ghost-1');
    expect(res.stdout).toMatch(/^DIFFERENT: 1 missing, 1 extra, 2 different/m);
    expect(res.stdout).not.toContain(student.last_name);
    expect(res.stdout).not.toContain('Призрак');
  }, 150_000);

  it('finds a PostgreSQL mirror equal to the platform too', async () => {
    const pg = await createTestMirror('postgres');
    const config = sandboxConfig(sb);
    const connector = connectorForSchool(config, config.schools[0]!);
    try {
      const run = await syncSandboxSchool(pg.db, config, sb.clock, schoolId);
      expect(run.status).toBe('succeeded');
      const c = await verifyMirror({ db: pg.db, connector, config, clock: sb.clock }, schoolId);
      expect(c.streams.filter((s) => !isClean(s))).toEqual([]);
      expect(c.equal).toBe(true);
    } finally {
      await connector.close();
      await pg.dispose();
    }
  }, 300_000);

  it('exits 2 for a school that is not configured', async () => {
    const res = await cli('--school', '404');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^ezh: bad verify-mirror options\n {2}- --school: 404 is not/m);
  }, 90_000);
});

function isClean(s: { missing: string[]; extra: string[]; different: string[] }): boolean {
  return s.missing.length === 0 && s.extra.length === 0 && s.different.length === 0;
}
