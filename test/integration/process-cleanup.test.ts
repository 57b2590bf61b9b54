import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMirror } from '../../src/mirror/data-source.js';
import { seedChecks, seedSchool } from '../fixtures/reports/school-fixture.js';
import { runCli } from '../helpers/cli.js';
import { spawnCli, type CliProcess } from '../helpers/cli-process.js';

/**
 * An `ezh archive create` stopped while Chromium prints its documents (the real CLI, Debian's
 * Chromium): a signal ends it with no browser process and no temporary folder left; a
 * `kill -9` leaves no browser process either (it dies with its pipe), and the folders it could
 * not remove are swept by the next run.
 */

const dir = mkdtempSync(join(tmpdir(), 'ezh-process-cleanup-'));
const work = join(dir, 'work');
const tmp = join(dir, 'tmp');
const configFile = join(dir, 'ezh.yaml');
const env = { TMPDIR: tmp };

/** The Chromium browser process started by `pid`, if one runs. */
function browserOf(pid: number): number | null {
  const ps = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid=,comm='], { encoding: 'utf8' });
  for (const line of ps.stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m && /chrom/i.test(m[2]!)) return Number(m[1]);
  }
  return null;
}

/** Processes in a process group: a browser leads its own (browser, renderers, GPU, utilities). */
function groupSize(pgid: number): number {
  const r = spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).length;
}

async function until<T>(what: string, fn: () => T | null, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ours = (folder: string, prefix: string) =>
  existsSync(folder) ? readdirSync(folder).filter((n) => n.startsWith(prefix)) : [];
const owned = (folder: string, prefix: string, pid: number) =>
  existsSync(folder) ? readdirSync(folder).filter((n) => n.startsWith(`${prefix}-${pid}-`)) : [];

/** Starts `ezh archive create` and returns once its browser runs. */
async function archiveWithBrowser(): Promise<{ cli: CliProcess; pid: number; browser: number }> {
  const cli = spawnCli(['--config', configFile, '--log-level', 'warn', 'archive', 'create'], {
    env,
  });
  const pid = cli.child.pid!;
  const browser = await until('Chromium to start', () => browserOf(pid), 90_000);
  return { cli, pid, browser };
}

beforeAll(async () => {
  mkdirSync(tmp);
  const dbPath = join(dir, 'mirror.sqlite');
  const m = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
  try {
    await seedSchool(m.db);
    await seedChecks(m.db);
  } finally {
    await m.close();
  }
  writeFileSync(
    configFile,
    `database:\n  type: sqlite\n  path: ${dbPath}\nschools:\n  - id: "100"\n` +
      `archive:\n  destinations: [${join(dir, 'dest')}]\n  workDir: ${work}\noutDir: ${join(dir, 'out')}\n`,
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a process rendering a PDF, stopped', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'by %s: ends by the signal, no browser process, no temporary folder',
    async (signal) => {
      const { cli, browser } = await archiveWithBrowser();
      expect(groupSize(browser)).toBeGreaterThan(0);
      expect(ours(work, 'ezh-archive-')).toHaveLength(1);
      cli.child.kill(signal);
      const exit = await cli.exited;
      expect(exit.signal, exit.out).toBe(signal);
      expect(await until('the browser to go', () => groupSize(browser) === 0, 15_000)).toBe(true);
      expect(ours(work, 'ezh-archive-')).toEqual([]);
      expect(ours(tmp, 'ezh-chromium-')).toEqual([]);
    },
    120_000,
  );

  it('by kill -9: no browser process; the next start sweeps its folders', async () => {
    const { cli, pid, browser } = await archiveWithBrowser();
    const before = groupSize(browser);
    expect(before).toBeGreaterThan(0);
    cli.child.kill('SIGKILL');
    await cli.exited;
    // Chromium reads EOF on its pipe and exits with all its children.
    expect(await until('the browser to go', () => groupSize(browser) === 0, 15_000)).toBe(true);
    expect(owned(work, 'ezh-archive', pid)).toHaveLength(1);
    expect(owned(tmp, 'ezh-chromium', pid)).toHaveLength(1);

    // Any next start sweeps them, here one that makes no scratch folder of its own.
    const next = runCli(['--config', configFile, '--log-level', 'info', 'config'], { env });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/removed scratch folders of killed ezh runs/);
    expect(owned(work, 'ezh-archive', pid)).toEqual([]);
    expect(owned(tmp, 'ezh-chromium', pid)).toEqual([]);
    const archive = runCli(['--config', configFile, 'archive', 'create'], {
      env,
      timeoutMs: 120_000,
    });
    expect(archive.code, archive.stderr).toBe(0);
  }, 240_000);
});
