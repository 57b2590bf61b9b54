import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMirror } from '../../src/mirror/data-source.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { spawnCli } from '../helpers/cli-process.js';
import {
  doubledVersions,
  unequalStreams,
  verifySandboxMirror,
  writeCliConfig,
} from './fault-school.js';
import { recordFigure } from './figures.js';

/**
 * Two `ezh sync` of the same school on one SQLite mirror at the same time (a cron job and an
 * engineer, say). One of them syncs; the other either waits and finds nothing left to do (0) or
 * says a sync of this school is running (2). Either way the mirror ends equal to the platform
 * and no version is written twice.
 */

const NAME = 'two ezh sync of one school on one SQLite mirror at once';

describe('two processes at once', () => {
  let sb: SandboxServer;
  let dir: string;
  let dbPath: string;
  let configFile: string;
  let outcome = 0;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 2325 });
    dir = mkdtempSync(join(tmpdir(), 'ezh-two-'));
    dbPath = join(dir, 'mirror.sqlite');
    configFile = writeCliConfig(sb, dir, dbPath, { log: { level: 'warn' } });
  });

  afterAll(async () => {
    recordFigure('two processes at once: mirror equal, no doubled version', outcome, 1);
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(NAME, async () => {
    const [a, b] = await Promise.all([
      spawnCli(['--config', configFile, 'sync']).exited,
      spawnCli(['--config', configFile, 'sync']).exited,
    ]);
    const codes = [a.code, b.code].sort();
    const detail = `${a.out.slice(-800)}\n---\n${b.out.slice(-800)}`;
    expect(
      [
        [0, 0],
        [0, 2],
      ],
      detail,
    ).toContainEqual(codes);
    const refused = [a, b].find((r) => r.code === 2);
    if (refused) {
      expect(refused.out).toMatch(/^ezh: a sync of school \d+ is running \(pid \d+ on host /m);
    }

    expect(unequalStreams(await verifySandboxMirror(sb, dbPath))).toEqual([]);
    const mirror = await openMirror({ type: 'sqlite', path: dbPath, schema: 'public' });
    try {
      expect(await doubledVersions(mirror.db)).toEqual([]);
    } finally {
      await mirror.close();
    }
    outcome = 1;
  });
});
