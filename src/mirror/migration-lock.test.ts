import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TSX_LOADER } from '../../test/helpers/cli.js';
import { dropSchema, TEST_PG_URL } from '../../test/helpers/mirrors.js';
import { openMirror } from './data-source.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Issue 23 item 17: processes started together on a fresh database (a worker fleet after a
 * deploy) all open it: one migrates, the others wait for it, none fails on "already exists".
 */

const CHILD = resolve(import.meta.dirname, '../../test/helpers/open-mirror-child.ts');

function openInChild(database: object): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CHILD], {
      env: { ...process.env, EZH_OPEN_MIRROR: JSON.stringify(database) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => done({ code, out }));
  });
}

async function appliedMigrations(database: Parameters<typeof openMirror>[0]): Promise<string[]> {
  const m = await openMirror(database, { migrate: false });
  try {
    const rows = await m.db.query<{ name: string }>('SELECT name FROM ezh_migrations ORDER BY id');
    return rows.map((r) => r.name);
  } finally {
    await m.close();
  }
}

describe('concurrent first opens of a fresh mirror', () => {
  it(
    'PostgreSQL: three processes on a fresh schema all succeed, migrations run once',
    { timeout: 120_000 },
    async () => {
      const schema = `ezh_mlock_${randomBytes(4).toString('hex')}`;
      const database = { type: 'postgres' as const, path: '', url: TEST_PG_URL, schema };
      try {
        const results = await Promise.all([1, 2, 3].map(() => openInChild(database)));
        for (const r of results) expect(r, r.out).toMatchObject({ code: 0, out: 'opened\n' });
        expect(await appliedMigrations(database)).toEqual(MIGRATIONS.map((M) => new M().name));
      } finally {
        await dropSchema(schema);
      }
    },
  );

  it('PostgreSQL: opens in one process at once all succeed', { timeout: 60_000 }, async () => {
    const schema = `ezh_mlock_${randomBytes(4).toString('hex')}`;
    const database = { type: 'postgres' as const, path: '', url: TEST_PG_URL, schema };
    try {
      const mirrors = await Promise.all([1, 2, 3].map(() => openMirror(database)));
      await Promise.all(mirrors.map((m) => m.close()));
      expect(await appliedMigrations(database)).toHaveLength(MIGRATIONS.length);
    } finally {
      await dropSchema(schema);
    }
  });

  it(
    'SQLite: three processes on a fresh file all succeed, migrations run once',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ezh-mlock-'));
      const database = {
        type: 'sqlite' as const,
        path: join(dir, 'mirror.sqlite'),
        schema: 'public',
      };
      try {
        const results = await Promise.all([1, 2, 3].map(() => openInChild(database)));
        for (const r of results) expect(r, r.out).toMatchObject({ code: 0, out: 'opened\n' });
        expect(await appliedMigrations(database)).toEqual(MIGRATIONS.map((M) => new M().name));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
