import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamName } from '../../src/connectors/records.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import {
  liveCounts,
  mirrorDigest,
  type MirrorDigest,
} from '../../src/sync/testing/mirror-digest.js';
import { spawnCli } from '../helpers/cli-process.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import { checkpointsOf, scoped, scopeLines, streamLines } from '../helpers/scope-rows.js';

/**
 * Issue 4, embedded mode: `ezh sync` stopped with SIGTERM (systemd, Ctrl-C in a container) finishes
 * the scope it is writing, exits within seconds and says so; the run stays resumable and the next
 * `ezh sync` continues it to a mirror equal to the platform.
 */

/** Scopes the process reported written (progress in log mode). */
const synced = (out: string) => out.match(/"msg":"synced /g)?.length ?? 0;

describe('`ezh sync` stopped with SIGTERM mid-run', () => {
  let sb: SandboxServer;
  let reference: TestMirror;
  let expected: MirrorDigest;
  let schoolId: string;
  let dir: string;
  let configFile: string;
  let dbPath: string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 31 });
    schoolId = sb.schools[0]!.id;
    reference = await createTestMirror('sqlite');
    const run = await syncSandboxSchool(reference.db, sandboxConfig(sb), sb.clock, schoolId);
    expect(run.status).toBe('succeeded');
    expected = await mirrorDigest(reference.db, schoolId);
    dir = mkdtempSync(join(tmpdir(), 'ezh-sigterm-'));
    dbPath = join(dir, 'mirror.sqlite');
    configFile = join(dir, 'ezh.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        database: { type: 'sqlite', path: dbPath },
        // ~150 requests at 12 per second: the run takes ~15 s, long enough to stop it mid-way.
        platform: {
          baseUrl: sb.url,
          requestsPerSecond: 12,
          concurrency: 4,
          timeoutMs: 10_000,
          maxRetries: 10,
        },
        schools: sb.schools.map((s) => ({ id: s.id, token: s.token, timeZone: s.timeZone })),
        jobs: { afterSync: [] },
        log: { level: 'info', format: 'json' },
        sync: { progress: 'log' },
      }),
    );
  });

  afterAll(async () => {
    await reference?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'finishes the current scope, exits promptly, leaves no half-written scope, and the next run resumes it',
    { timeout: 240_000 },
    async () => {
      const first = spawnCli(['--config', configFile, 'sync']);
      // Stop it once the window scopes are under way: the school, its 4 classes and their 6
      // subgroups' rosters come first (11 scopes), then the windows.
      await first.waitFor((out) => synced(out) >= 16, 120_000);
      const signalledAt = Date.now();
      first.child.kill('SIGTERM');
      const stopped = await first.exited;
      const stopMs = stopped.at - signalledAt;

      expect(stopped.signal, stopped.out).toBeNull();
      expect(stopped.code, stopped.out).toBe(1);
      // The scopes in flight (4 lanes) finish first: a few seconds at this request rate.
      expect(stopMs, stopped.out).toBeLessThan(8_000);
      expect(stopped.out).toContain(
        'stopping after the current scope; the next `ezh sync` resumes the run',
      );
      const line = /School \d+: run (\S+) \(incremental\) (\w+), (\d+)\/(\d+) scopes/.exec(
        stopped.stdout,
      );
      expect(line, stopped.stdout).not.toBeNull();
      const [, runId, printedStatus, printedDone, printedTotal] = line!;
      expect(stopped.stdout).toMatch(/interrupted.*`ezh sync`.*resume/);

      const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
      try {
        const runs = await mirror.db.query<{
          id: string;
          status: string;
          finished_at: number | null;
          scopes_total: number;
        }>('SELECT id, status, finished_at, scopes_total FROM sync_runs');
        expect(runs).toHaveLength(1);
        expect(runs[0]!.id).toBe(runId);
        // Not finished: the run is still open for the next `ezh sync` to continue.
        expect(['running', 'partial']).toContain(runs[0]!.status);
        expect(printedStatus).toBe(runs[0]!.status);
        expect(runs[0]!.finished_at).toBeNull();

        const checkpoints = await checkpointsOf(mirror.db, runId!);
        const total = Number(runs[0]!.scopes_total);
        expect(checkpoints.length).toBeGreaterThanOrEqual(16);
        expect(checkpoints.length).toBeLessThan(total);
        // What the CLI told the operator matches the mirror.
        expect(Number(printedDone)).toBe(checkpoints.length);
        expect(Number(printedTotal)).toBe(total);

        // Every checkpoint stands for a whole scope: its rows equal the platform's (the reference).
        const covered = new Map<StreamName, Set<string>>();
        for (const cp of checkpoints) {
          for (const stream of cp.streams.split('+') as StreamName[]) {
            if (!scoped(stream)) continue;
            const lines = await scopeLines(mirror.db, cp, stream);
            expect(lines, `${cp.scope_key} ${stream}`).toEqual(
              await scopeLines(reference.db, cp, stream),
            );
            const set = covered.get(stream) ?? new Set<string>();
            for (const l of lines) set.add(l);
            covered.set(stream, set);
          }
        }
        // And nothing was written outside a checkpointed scope (no rows of a half-done scope).
        for (const stream of Object.keys(expected) as StreamName[]) {
          const all = await streamLines(mirror.db, schoolId, stream);
          if (scoped(stream)) {
            expect(all, stream).toEqual([...(covered.get(stream) ?? [])].sort());
          } else {
            const platform = new Set(await streamLines(reference.db, schoolId, stream));
            expect(
              all.filter((l) => !platform.has(l)),
              stream,
            ).toEqual([]);
          }
        }
      } finally {
        await mirror.close();
      }

      const second = spawnCli(['--config', configFile, 'sync']);
      const resumed = await second.exited;
      expect(resumed.code, resumed.out).toBe(0);
      expect(resumed.stdout).toContain(`run ${runId} (incremental, resumed) succeeded`);

      const after = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
      try {
        expect(await mirrorDigest(after.db, schoolId)).toEqual(expected);
        expect(liveCounts(expected)).toEqual(sb.counts(schoolId));
        const runs = await after.db.query<{ id: string; status: string }>(
          'SELECT id, status FROM sync_runs',
        );
        expect(runs).toEqual([{ id: runId, status: 'succeeded' }]);
        // The resumed run skipped what was done: no record was written twice.
        const twice = await after.db.query(
          'SELECT entity, record_id FROM record_versions GROUP BY entity, record_id HAVING count(*) > 1 LIMIT 5',
        );
        expect(twice).toEqual([]);
      } finally {
        await after.close();
      }
      console.info(`sync-sigterm: stopped ${stopMs} ms after SIGTERM`);
    },
  );
});
