import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/platform/errors.js';

/**
 * The runner of the bad-configuration table (the table itself is `test/fixtures/config/
 * bad-configs.ts`, written on the h-config branch). Each entry is loaded as `ezh` loads a config
 * at start-up; it must be refused with a ConfigError (exit 2) that names every expected path.
 *
 * Entries are read liberally, so the table's exact shape does not matter: a name (`name` or
 * `title`), the config as YAML text (`yaml`) or as an object (`config`), optional environment
 * (`env`), and the paths the problems must name (`paths`, `path`, `expectPaths` or
 * `expectedPaths`; a string or a list).
 */

export interface BadConfigOutcome {
  name: string;
  /** Refused with a ConfigError naming every expected path. */
  refused: boolean;
  problems: string[];
  missingPaths: string[];
}

interface LooseEntry {
  name?: string;
  title?: string;
  yaml?: string;
  config?: unknown;
  env?: Record<string, string>;
  paths?: string | string[];
  path?: string | string[];
  expectPaths?: string | string[];
  expectedPaths?: string | string[];
}

/** The table: the module's default export or its first exported list. */
export function tableOf(module: Record<string, unknown>): LooseEntry[] {
  const lists = [module.default, ...Object.values(module)].filter(Array.isArray);
  if (lists.length === 0) throw new Error('the bad-config module exports no list of entries');
  return lists[0] as LooseEntry[];
}

export function runBadConfig(entry: LooseEntry): BadConfigOutcome {
  const name = entry.name ?? entry.title ?? '(unnamed)';
  const expected = [
    entry.paths ?? entry.path ?? entry.expectPaths ?? entry.expectedPaths ?? [],
  ].flat();
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bad-config-'));
  try {
    const file = join(dir, 'ezh.yaml');
    writeFileSync(file, entry.yaml ?? toYaml(entry.config ?? {}));
    try {
      loadConfig({ file, env: entry.env ?? {} });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const missingPaths = expected.filter((p) => !err.problems.some((q) => q.includes(p)));
      return {
        name,
        refused: missingPaths.length === 0 && err.exitCode === 2,
        problems: err.problems,
        missingPaths,
      };
    }
    return { name, refused: false, problems: [], missingPaths: expected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
