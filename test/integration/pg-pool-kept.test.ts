import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_POOL_KEPT } from '../../src/mirror/data-source.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

/**
 * A worker's mirror keeps its PostgreSQL connections between jobs: a new backend pays for mapping
 * the server's memory on its first large queries (bench/README.md, fourth pass), and node-postgres
 * closed connections idle for 10 s, so a worker's hourly check always ran on new backends. The
 * kept connections must not hold a process open that has finished its work.
 */

const REPO = join(import.meta.dirname, '../..');

describe('PostgreSQL mirror connections', () => {
  let mirror: TestMirror;

  beforeAll(async () => {
    mirror = await createTestMirror('postgres');
  });
  afterAll(async () => {
    await mirror?.dispose();
  });

  const backends = async () => {
    // Concurrent statements that each hold their connection for a moment: one backend each.
    const rows = await Promise.all(
      Array.from({ length: PG_POOL_KEPT }, () =>
        mirror.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)'),
      ),
    );
    return new Set(rows.map((r) => Number(r[0]!.pid)));
  };

  it(
    'are the same backends after an idle pause longer than the driver default of 10 s',
    { timeout: 40_000 },
    async () => {
      const before = await backends();
      expect(before.size).toBe(PG_POOL_KEPT);
      await new Promise((r) => setTimeout(r, 11_500));
      const after = await backends();
      expect([...after].sort()).toEqual([...before].sort());
    },
  );

  it('do not keep a finished process alive', { timeout: 30_000 }, async () => {
    // A process that opens the mirror, queries and returns without closing it exits on its own:
    // timed from its last query (node-postgres's idle timeout, 10 s, let it go before).
    const script = `
      import { openMirror } from './src/mirror/data-source.ts';
      const m = await openMirror(${JSON.stringify({ ...mirror.database })}, { migrate: false });
      await m.db.query('SELECT 1');
      process.stdout.write('queried\\n');
    `;
    let queriedAt = 0;
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('queried')) queriedAt = Date.now();
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the process was still running after 25 s'));
      }, 25_000);
      // 'close', not 'exit': its output read to the end first.
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    expect(queriedAt).toBeGreaterThan(0);
    expect(Date.now() - queriedAt).toBeLessThan(5_000);
  });
});
