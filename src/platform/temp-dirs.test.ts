import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, sweepOrphanTempDirs, tempDirOwner, tempDirPrefix } from './temp-dirs.js';

/** A pid that no process holds any more: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('temporary folders', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'ezh-tempdirs-test-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('are private, named after their owner, and removed by dispose', () => {
    const dir = makeTempDir('archive', join(base, 'work'));
    expect(dir.path.startsWith(join(base, 'work', tempDirPrefix('archive')))).toBe(true);
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
    expect(statSync(join(base, 'work')).mode & 0o777).toBe(0o700);
    writeFileSync(join(dir.path, 'snapshot'), 'x');
    dir.dispose();
    expect(existsSync(dir.path)).toBe(false);
  });

  it('of dead owners are swept; live owners, other hosts and other names are left alone', async () => {
    const dead = join(base, `${tempDirPrefix('archive', deadPid())}aB3dE9`);
    const deadChromium = join(base, `${tempDirPrefix('chromium', deadPid())}Zz0000`);
    const mine = join(base, `${tempDirPrefix('chromium')}Qq1111`);
    const otherHost = join(base, `ezh-archive-${deadPid()}-00000000-Ww2222`);
    const notOurs = join(base, 'ezh-archive-rt-Xx3333');
    const notOursEither = join(base, 'ezh-test-Yy4444');
    // A live process that started before its folder was made: its owner, kept.
    const sleeper = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    const live = join(base, `${tempDirPrefix('archive', sleeper.pid!)}Ll5555`);
    for (const d of [dead, deadChromium, mine, otherHost, notOurs, notOursEither, live]) {
      mkdirSync(d);
      writeFileSync(join(d, 'mirror.sqlite'), 'x');
    }
    writeFileSync(
      join(base, `${tempDirPrefix('archive', deadPid())}Ff6666`),
      'a file, not a folder',
    );
    try {
      const removed = sweepOrphanTempDirs(base);
      expect(removed.sort()).toEqual([dead, deadChromium].sort());
      for (const d of [mine, otherHost, notOurs, notOursEither, live]) {
        expect(existsSync(d), d).toBe(true);
      }
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('of a pid reused by a process started after the folder was made are swept', async () => {
    const made = join(base, 'placeholder');
    mkdirSync(made);
    // The folder exists before the process that now holds the pid in its name started.
    await new Promise((r) => setTimeout(r, 2_600));
    const sleeper = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    try {
      const orphan = join(base, `${tempDirPrefix('archive', sleeper.pid!)}Rr7777`);
      const { renameSync } = await import('node:fs');
      renameSync(made, orphan);
      expect(sweepOrphanTempDirs(base)).toEqual([orphan]);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it("of a dead owner's browser: the browser still running in it is killed first", async () => {
    const profile = join(base, `${tempDirPrefix('chromium', deadPid())}Bb1212`);
    mkdirSync(profile);
    // Stands in for a Chromium still shutting down: its own process group, the profile argument.
    const browser = spawn(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)', '--', `--user-data-dir=${profile}`],
      { detached: true, stdio: 'ignore' },
    );
    const gone = new Promise((r) => browser.once('exit', (_code, signal) => r(signal)));
    await new Promise((r) => setTimeout(r, 300));
    expect(sweepOrphanTempDirs(base)).toEqual([profile]);
    expect(await gone).toBe('SIGKILL');
  });

  it('tell their owner', () => {
    const mine = makeTempDir('chromium', base);
    const dead = join(base, `${tempDirPrefix('archive', deadPid())}Dd9999`);
    mkdirSync(dead);
    expect(tempDirOwner(mine.path)).toBe('alive');
    expect(tempDirOwner(dead)).toBe('dead');
    expect(tempDirOwner(join(base, 'ezh-archive-Xx0000'))).toBe('unknown');
    mine.dispose();
  });

  it('left by a killed run are swept by the next folder made in the same place', () => {
    const orphan = join(base, `${tempDirPrefix('archive', deadPid())}Kk8888`);
    mkdirSync(orphan);
    const next = makeTempDir('archive', base);
    expect(existsSync(orphan)).toBe(false);
    next.dispose();
  });
});
