import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { mirrorDigest, type MirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

/** Deterministic pseudo-random numbers per seed (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function runChild(
  input: object,
  killAfterMs: number | null,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/sync-child.ts'], {
      env: { ...process.env, EZH_SYNC_CHILD: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer =
      killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

describe('sync killed with SIGKILL at random moments', () => {
  let sb: SandboxServer;
  let expected: MirrorDigest;
  let schoolId: string;
  /** How long one uninterrupted sync child takes on this machine: kill points are fractions of it. */
  let fullRunMs: number;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 23 });
    schoolId = sb.schools[0]!.id;
    const ref = await createTestMirror('sqlite');
    try {
      const run = await syncSandboxSchool(ref.db, sandboxConfig(sb), sb.clock, schoolId);
      expect(run.status).toBe('succeeded');
      expect(await mirrorDigest(ref.db, schoolId)).toBeTruthy();
      expected = await mirrorDigest(ref.db, schoolId);
    } finally {
      await ref.dispose();
    }
    const dir = mkdtempSync(join(tmpdir(), 'ezh-crash-timing-'));
    try {
      const started = Date.now();
      const full = await runChild(
        {
          url: sb.url,
          schools: sb.schools,
          dbPath: join(dir, 'm.sqlite'),
          now: sb.now(),
          schoolId,
        },
        null,
      );
      expect(full.code, full.out).toBe(0);
      fullRunMs = Date.now() - started;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  afterAll(async () => sb?.close());

  it.each([1, 2, 3])(
    'seed %i: the re-run finishes the job and the mirror equals the platform',
    { timeout: 600_000 },
    async (seed) => {
      const random = rng(seed);
      const dir = mkdtempSync(join(tmpdir(), 'ezh-crash-'));
      const input = {
        url: sb.url,
        schools: sb.schools,
        dbPath: join(dir, 'mirror.sqlite'),
        now: sb.now(),
        schoolId,
      };
      try {
        let killed = 0;
        // Two kills at random moments (module loading takes ~2 s), then a run to completion.
        for (let i = 0; i < 2; i++) {
          // Somewhere between 15 % and 75 % of an uninterrupted run: the first child is always
          // killed mid-sync (process start-up included), the second one maybe, as it resumes.
          const r = await runChild(input, Math.floor(fullRunMs * (0.15 + random() * 0.6)));
          if (r.signal === 'SIGKILL') killed++;
        }
        expect(killed).toBeGreaterThan(0);
        const last = await runChild(input, null);
        expect(last.code, last.out).toBe(0);
        const mirror = await openMirror({ type: 'sqlite', path: input.dbPath, schema: 'public' });
        try {
          expect(await mirrorDigest(mirror.db, schoolId)).toEqual(expected);
          const counts = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.live]));
          expect(counts).toEqual(sb.counts(schoolId));
          // Nothing was written twice: every live row is at its first version.
          const twice = await mirror.db.query(
            'SELECT entity, record_id FROM record_versions GROUP BY entity, record_id HAVING count(*) > 1',
          );
          expect(twice).toEqual([]);
        } finally {
          await mirror.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
