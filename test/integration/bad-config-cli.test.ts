import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_CONFIGS, namesProblem, type BadConfigCase } from '../fixtures/config/bad-configs.js';
import { runCli } from '../helpers/cli.js';

/**
 * A few cases of the bad-configuration table through the real `ezh` (the loader's test runs them
 * all; the fault suite runs the whole table through the CLI): exit 2, the path on stderr, and no
 * work started, whatever the command.
 */
/** Starting node, tsx and BullMQ takes a minute when the machine is busy. */
const CLI_TIMEOUT_MS = 180_000;

function runCase(c: BadConfigCase, command: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bad-config-cli-'));
  const file = join(dir, 'ezh.yaml');
  writeFileSync(file, c.yaml ?? '');
  return runCli(['--config', file, ...command], { cwd: dir, env: c.env ?? {} });
}

function byName(fragment: string): BadConfigCase {
  const c = BAD_CONFIGS.find((x) => x.name.includes(fragment));
  if (!c) throw new Error(`no bad-config case named like "${fragment}"`);
  return c;
}

describe('ezh with a bad configuration', () => {
  // A few only: each run starts node, tsx and BullMQ (seconds on a busy machine).
  it.each([
    ['platform.baseURL', 'config'],
    ['schools[].timezone', 'sync'],
    ['30 February', 'check'],
    ['alert schedule at hour 25', 'alerts send --dry-run'],
    ['javascript: URL from the environment', 'status'],
  ] as const)(
    '%s: `ezh %s` exits 2 naming the path',
    (fragment, command) => {
      const c = byName(fragment);
      const res = runCase(c, command.split(' '));
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toMatch(/^ezh: invalid configuration/);
      expect(namesProblem(res.stderr, c), res.stderr).toBe(true);
      expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(res.stdout).toBe('');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'accepts an all-digit token from the environment as a string',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ezh-bad-config-cli-'));
      const res = runCli(['config'], { cwd: dir, env: { EZH_DNEVNIK_TOKEN: '12345678901234' } });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('"token": "[redacted]"');
      expect(res.stdout).not.toContain('12345678901234');
    },
    CLI_TIMEOUT_MS,
  );
});
