import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '../../src/app/config.js';
import { ConfigError } from '../../src/platform/errors.js';
import type { BadConfigCase } from '../fixtures/config/bad-configs.js';

/**
 * One entry of the bad-configuration table (`test/fixtures/config/bad-configs.ts`), loaded as
 * `ezh` loads a config at start-up: it must be refused with a ConfigError (exit 2) whose problems
 * include `<expectPath>: …<expectMessage>…`.
 */

export interface BadConfigOutcome {
  name: string;
  /** Refused with exit 2 and the expected problem line. */
  refused: boolean;
  problems: string[];
}

export function runBadConfig(entry: BadConfigCase): BadConfigOutcome {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bad-config-'));
  try {
    const file = join(dir, 'ezh.yaml');
    writeFileSync(file, entry.yaml ?? '');
    try {
      loadAppConfig({ file, env: entry.env ?? {} });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const named = err.problems.some(
        (p) => p.startsWith(`${entry.expectPath}: `) && p.includes(entry.expectMessage),
      );
      return { name: entry.name, refused: named && err.exitCode === 2, problems: err.problems };
    }
    return { name: entry.name, refused: false, problems: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
