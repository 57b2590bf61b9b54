import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArchives } from '../../src/archive/registry.js';
import { buildArchiveFixture } from '../../src/archive/testing/fixture.js';
import { verifyArchive } from '../../src/archive/verify.js';
import { openMirror } from '../../src/mirror/data-source.js';

/**
 * `kill -9` during `ezh archive create` (the real CLI in a child process): whatever the moment,
 * no file appears under a final archive name, and the next run succeeds.
 */

const dir = mkdtempSync(join(tmpdir(), 'ezh-archive-crash-'));
const dbPath = join(dir, 'mirror.sqlite');
const dest = join(dir, 'dest');
const configFile = join(dir, 'ezh.yaml');

function runCli(...args: string[]): {
  child: ReturnType<typeof spawn>;
  done: Promise<number | null>;
  out: () => string;
} {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      '--config',
      configFile,
      '--log-level',
      'silent',
      'archive',
      ...args,
    ],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done, out: () => out };
}

const runCreate = () => runCli('create');

const finals = () =>
  existsSync(dest) ? readdirSync(dest).filter((n) => n.endsWith('.tar.gz')) : [];
const partials = () =>
  existsSync(dest) ? readdirSync(dest).filter((n) => n.endsWith('.partial')) : [];

beforeAll(async () => {
  const m = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
  try {
    await buildArchiveFixture(m.db, { marks: 30_000 });
  } finally {
    await m.close();
  }
  // No Chromium on purpose: the archive must say the documents are absent, not fail.
  writeFileSync(
    configFile,
    `database:\n  type: sqlite\n  path: ${dbPath}\narchive:\n  destinations: [${dest}]\n  workDir: ${join(dir, 'work')}\n` +
      `reports:\n  chromiumPath: ${join(dir, 'no-chromium')}\n`,
  );
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('archive create killed with SIGKILL', () => {
  it('leaves no file under the final name while it is being written', async () => {
    const { child, done } = runCreate();
    // Kill at the worst moment: the tarball is being streamed into `<name>.partial`.
    let killedDuringWrite = false;
    const poll = setInterval(() => {
      if (partials().length > 0 && !killedDuringWrite) {
        killedDuringWrite = true;
        child.kill('SIGKILL');
      }
    }, 2);
    const code = await done;
    clearInterval(poll);
    expect(killedDuringWrite).toBe(true);
    expect(code).toBeNull();
    expect(finals()).toEqual([]);
  }, 120_000);

  it('succeeds on the next run with a verifiable archive', async () => {
    const { done, out } = runCreate();
    expect(await done, out()).toBe(0);
    expect(out()).toMatch(/printed documents not included: .*Chromium not found/);
    const files = finals();
    expect(files).toHaveLength(1);
    const report = await verifyArchive(join(dest, files[0]!));
    expect(report.problems).toEqual([]);
    expect(report.rows).toBeGreaterThan(60_000);
    const m = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    try {
      const rows = await listArchives(m.db);
      // The killed run stays visible, as `interrupted` (its owner is dead, issue 23 item 10; it
      // was `creating` forever); the new one is complete.
      expect(rows.map((r) => r.status).sort()).toEqual(['complete', 'interrupted']);
    } finally {
      await m.close();
    }
  }, 120_000);

  it('verifies, restores and compares through the CLI, with exit codes', async () => {
    const file = join(dest, finals()[0]!);
    const verify = runCli('verify', file);
    expect(await verify.done, verify.out()).toBe(0);
    expect(verify.out()).toMatch(/^OK .* tables, \d+ rows/m);
    const restored = join(dir, 'restored.sqlite');
    const restore = runCli('restore', file, '--into', restored);
    expect(await restore.done, restore.out()).toBe(0);
    // The archive runs wrote operator events after their snapshots (documents missing): drop
    // them, so the live mirror is again the state the archive captured.
    const m = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    await m.db.run(`DELETE FROM operator_events WHERE kind = 'archive_documents_missing'`);
    await m.close();
    const compare = runCli('compare', '--b', restored);
    expect(await compare.done, compare.out()).toBe(0);
    expect(compare.out()).toMatch(/EQUAL: \d+ tables/);
    writeFileSync(join(dir, 'broken.tar.gz'), 'garbage');
    const bad = runCli('verify', join(dir, 'broken.tar.gz'));
    expect(await bad.done).toBe(1);
    expect(bad.out()).toMatch(/FAILED .*broken\.tar\.gz/);
  }, 180_000);
});
