import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { spawnCli } from '../helpers/cli-process.js';

/**
 * Issue 23 item 10: a second `ezh sync` of a school that a live process is syncing refuses (exit
 * 2, who holds it) instead of taking the live run over; `ezh status` shows the live run with its
 * real progress, a killed one as `interrupted`, and the next sync resumes the killed run.
 */

const synced = (out: string) => out.match(/"msg":"synced /g)?.length ?? 0;

describe('two `ezh sync` processes of one school', () => {
  let sb: SandboxServer;
  let dir: string;
  let configFile: string;
  let dbPath: string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 23 });
    dir = mkdtempSync(join(tmpdir(), 'ezh-lease-'));
    dbPath = join(dir, 'mirror.sqlite');
    configFile = join(dir, 'ezh.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { type: 'sqlite', path: dbPath },
        // Slow enough (~15 s) for a second process to meet the first one mid-run.
        platform: {
          baseUrl: sb.url,
          requestsPerSecond: 12,
          concurrency: 4,
          timeoutMs: 5_000,
          maxRetries: 10,
        },
        schools: sb.schools
          .slice(0, 1)
          .map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
        jobs: { afterSync: [] },
        log: { level: 'info', format: 'json' },
        sync: { progress: 'log' },
      }),
    );
  });

  afterAll(async () => {
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'refuses the second, shows live and killed runs as they are, and resumes the killed one',
    { timeout: 240_000 },
    async () => {
      const schoolId = sb.schools[0]!.id;
      const first = spawnCli(['--config', configFile, 'sync']);
      await first.waitFor((out) => synced(out) >= 6, 120_000);

      // runCli blocks this process (and the sandbox) for a moment: the refusal needs no platform.
      const second = runCli(['--config', configFile, 'sync']);
      expect(second.code, second.stderr).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(
          `^ezh: a sync of school ${schoolId} is running \\(pid ${first.child.pid} on host \\S+, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)\\n$`,
        ),
      );
      expect(second.stdout).toBe('');

      const live = runCli(['--config', configFile, 'status']);
      expect(live.code, live.stderr).toBe(0);
      const liveRow = /^\s*(\S+)\s+\S+\s+incremental\s+running\s+\S+\s+-\s+(\d+)\/(\d+)/m.exec(
        live.stdout,
      );
      expect(liveRow, live.stdout).not.toBeNull();
      // Real progress while it works, not 0/N.
      expect(Number(liveRow![2])).toBeGreaterThanOrEqual(6);
      expect(live.stdout).toContain(`last run is running: pid ${first.child.pid}`);

      first.child.kill('SIGKILL');
      await first.exited;

      const dead = runCli(['--config', configFile, 'status']);
      const deadRow = /^\s*(\S+)\s+\S+\s+incremental\s+interrupted\s+\S+\s+-\s+(\d+)\/(\d+)/m.exec(
        dead.stdout,
      );
      expect(deadRow, dead.stdout).not.toBeNull();
      expect(deadRow![1]).toBe(liveRow![1]);
      expect(Number(deadRow![2])).toBeGreaterThanOrEqual(Number(liveRow![2]));
      expect(Number(deadRow![2])).toBeLessThan(Number(deadRow![3]));

      // A child process, not runCli: the sandbox serves from this process's event loop.
      const resumed = await spawnCli(['--config', configFile, 'sync']).exited;
      expect(resumed.code, resumed.out).toBe(0);
      expect(resumed.stdout).toContain(`run ${liveRow![1]} (incremental, resumed) succeeded`);

      const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
      try {
        const runs = await mirror.db.query<{ status: string; scopes_done: number }>(
          'SELECT status, scopes_done, scopes_total FROM sync_runs',
        );
        expect(runs).toHaveLength(1);
        expect(runs[0]!.status).toBe('succeeded');
        // Nothing was counted twice: no record has two versions after one clean first sync.
        const twice = await mirror.db.query(
          'SELECT entity, record_id FROM record_versions GROUP BY entity, record_id HAVING count(*) > 1 LIMIT 5',
        );
        expect(twice).toEqual([]);
        expect(await mirror.db.query('SELECT * FROM run_leases')).toEqual([]);
      } finally {
        await mirror.close();
      }
    },
  );
});
