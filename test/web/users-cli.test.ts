import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUser } from '../../src/app/accounts-service.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { TSX_LOADER } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** `ezh …` from source with `input` on stdin (the password), as a script would pipe it. */
function ezh(args: string[], input = '') {
  const res = spawnSync(
    process.execPath,
    ['--import', TSX_LOADER, resolve(ROOT, 'src/cli/main.ts'), '--config', config, ...args],
    {
      cwd: dir,
      env: { ...process.env, EZH_LOG_LEVEL: 'warn' },
      input,
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

let dir: string;
let config: string;

describe('ezh users and ezh serve (CLI)', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ezh-users-'));
    config = join(dir, 'ezh.yaml');
    writeFileSync(config, `database: { type: sqlite, path: ${join(dir, 'mirror.sqlite')} }\n`);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // Each `ezh` process starts from source (tsx): slow on a loaded machine, so few of them.
  it('adds an account with the password read from stdin, stored only as an Argon2id hash', async () => {
    const add = ezh(
      ['users', 'add', 'engineer', '--name', 'Инженер Иванов', '--role', 'ict'],
      'a long enough password\n',
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('user engineer added');
    const mirror = await openMirror({
      type: 'sqlite',
      path: join(dir, 'mirror.sqlite'),
      schema: 'public',
    });
    try {
      const user = await getUser(mirror.db, 'engineer');
      expect(user?.roles).toEqual(['ict']);
      expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(user?.passwordHash).not.toContain('a long enough password');
    } finally {
      await mirror.close();
    }
  }, 200_000);

  it('refuses clearly: a short password, an unknown role', () => {
    const short = ezh(['users', 'add', 'shorty', '--name', 'X'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 10 characters');
    const role = ezh(
      ['users', 'add', 'x1', '--name', 'X', '--role', 'teacher'],
      'a long enough password\n',
    );
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('unknown role "teacher"');
    expect(role.stderr).toContain('--person');
  }, 400_000);

  it('refuses to serve plain HTTP on a public address without a proxy (exit 2)', () => {
    const r = ezh(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to serve plain HTTP on 0.0.0.0');
    expect(r.stderr).toContain('web.behindProxy');
  }, 200_000);
});
