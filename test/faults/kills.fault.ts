import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/archive/verify.js';
import { runChecksForApp } from '../../src/app/checks-service.js';
import { createApp } from '../../src/cli/app.js';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { spawnCli, type CliExit } from '../helpers/cli-process.js';
import {
  doubledVersions,
  unequalStreams,
  verifySandboxMirror,
  writeCliConfig,
} from './fault-school.js';
import { recordFigure } from './figures.js';

/**
 * `kill -9` of the real `ezh sync`, `ezh check` and `ezh archive create` at several points of
 * their work (after N committed scopes, while rules are stored, while the mirror is read or the
 * archive packed), then a rerun; afterwards the mirror equals the platform (`verifyMirror`), no
 * version is written twice, the rerun's findings equal an uninterrupted run's, and the archive
 * verifies.
 */

/** Scopes a sync process reported committed (progress in log mode). */
const synced = (out: string) => out.match(/"msg":"synced /g)?.length ?? 0;

describe('kill -9 of sync, check and archive create', () => {
  let sb: SandboxServer;
  let dir: string;
  let dbPath: string;
  let configFile: string;
  const kills = { sync: [0, 0], check: [0, 0], archive: [0, 0] };

  const cli = (...args: string[]) => spawnCli(['--config', configFile, ...args]);

  /** Starts `ezh …`, kills it with SIGKILL once its output satisfies `when`; true if killed. */
  const killWhen = async (when: (out: string) => boolean, args: string[]): Promise<CliExit> => {
    const p = cli(...args);
    await p.waitFor(when, 180_000);
    p.child.kill('SIGKILL');
    return p.exited;
  };

  const verify = () => verifySandboxMirror(sb, dbPath);

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 2324 });
    dir = mkdtempSync(join(tmpdir(), 'ezh-kills-'));
    dbPath = join(dir, 'mirror.sqlite');
    configFile = writeCliConfig(sb, dir, dbPath, {
      log: { level: 'debug', format: 'json' },
      sync: { progress: 'log' },
      archive: { destinations: [join(dir, 'dest')], workDir: join(dir, 'work') },
      // No Chromium on purpose: the archive says the documents are absent, and is fast.
      reports: { chromiumPath: join(dir, 'no-chromium') },
    });
  });

  afterAll(async () => {
    recordFigure('kills survived (ezh sync)', kills.sync[0]!, kills.sync[1]!);
    recordFigure('kills survived (ezh check)', kills.check[0]!, kills.check[1]!);
    recordFigure('kills survived (ezh archive create)', kills.archive[0]!, kills.archive[1]!);
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'sync: killed after 3, then 12, then 20 more committed scopes; the rerun finishes, mirror equal, no version twice',
    { timeout: 600_000 },
    async () => {
      const points = [3, 12, 20];
      kills.sync[1] = points.length;
      for (const n of points) {
        const r = await killWhen((out) => synced(out) >= n, ['sync']);
        expect(r.signal, `the sync ended before ${n} scopes: ${r.out.slice(-500)}`).toBe('SIGKILL');
      }
      const last = await cli('sync').exited;
      expect(last.code, last.out.slice(-2000)).toBe(0);
      expect(last.stdout).toMatch(/, resumed\) succeeded/);
      expect(unequalStreams(await verify())).toEqual([]);
      const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
      try {
        expect(await doubledVersions(mirror.db)).toEqual([]);
      } finally {
        await mirror.close();
      }
      kills.sync[0] = points.length;
    },
  );

  it(
    'check: killed while reading and while storing; the rerun finds what an uninterrupted run finds',
    { timeout: 600_000 },
    async () => {
      // Now (the mirror's rows were first seen now, not at the sandbox's clock), fixed for every run.
      const asOf = new Date().toISOString();
      // The uninterrupted run, in this process, on a copy of the same mirror.
      const copy = join(dir, 'uninterrupted.sqlite');
      copyFileSync(dbPath, copy);
      const app = createApp(
        {},
        {
          database: { type: 'sqlite', path: copy },
          schools: sb.schools.map((s) => ({ id: s.id, timeZone: s.timeZone })),
          log: { level: 'warn' },
        },
      );
      let expected: string[];
      try {
        const { report } = await runChecksForApp(app, { asOf: Date.parse(asOf) });
        expected = findingsOf(JSON.stringify(report));
      } finally {
        await app.close();
      }
      expect(expected.length).toBeGreaterThan(0);

      const points: ((out: string) => boolean)[] = [
        (out) => /"msg":"period totals/.test(out) || /"level":20/.test(out),
        (out) => /"msg":"rule evaluated"/.test(out),
      ];
      kills.check[1] = points.length;
      for (const when of points) {
        const r = await killWhen(when, ['check', '--as-of', asOf, '--format', 'json']);
        expect(r.signal, r.out.slice(-500)).toBe('SIGKILL');
      }
      const rerun = await cli('--log-level', 'warn', 'check', '--as-of', asOf, '--format', 'json')
        .exited;
      expect(rerun.code, rerun.out.slice(-1000)).toBe(0);
      expect(findingsOf(rerun.stdout)).toEqual(expected);
      kills.check[0] = points.length;
    },
  );

  it(
    'archive create: killed while reading the mirror and while packing; the rerun archives, the mirror stays equal',
    { timeout: 600_000 },
    async () => {
      const dest = join(dir, 'dest');
      const finals = () =>
        existsSync(dest) ? readdirSync(dest).filter((n) => n.endsWith('.tar.gz')) : [];
      const points: ((out: string) => boolean)[] = [
        (out) => /"msg":"archive: reading the mirror"/.test(out),
        (out) => /"msg":"archive: packing"/.test(out),
      ];
      kills.archive[1] = points.length;
      for (const when of points) {
        const r = await killWhen(when, ['archive', 'create']);
        expect(r.signal, r.out.slice(-500)).toBe('SIGKILL');
        expect(finals(), 'a killed run left a file under a final archive name').toEqual([]);
      }
      const rerun = await cli('--log-level', 'warn', 'archive', 'create').exited;
      expect(rerun.code, rerun.out.slice(-1000)).toBe(0);
      expect(finals()).toHaveLength(1);
      const report = await verifyArchive(join(dest, finals()[0]!));
      expect(report.problems).toEqual([]);
      expect((await verify()).equal).toBe(true);
      kills.archive[0] = points.length;
    },
  );
});

/** The findings of `ezh check --format json`, in a stable order. */
function findingsOf(stdout: string): string[] {
  const report = JSON.parse(stdout) as { findings: unknown[] };
  return report.findings.map((f) => JSON.stringify(f)).sort();
}
