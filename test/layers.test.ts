import { spawnSync } from 'node:child_process';
import { delimiter, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of .dependency-cruiser.cjs (docs/architecture.md) catch an upward import: run on
 * a fixture tree with deliberate violations, `depcruise` fails and names the rule and the files.
 */
const ROOT = resolve(import.meta.dirname, '..');
const FIXTURE = resolve(ROOT, 'test/fixtures/layers');

function cruise(cwd: string): { status: number | null; output: string } {
  const result = spawnSync(
    'depcruise',
    ['src', '--config', resolve(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${resolve(ROOT, 'node_modules/.bin')}${delimiter}${process.env.PATH}`,
      },
    },
  );
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('layer rules', () => {
  it('fail on an upward import and on a sandbox importing the checks, naming the rule', () => {
    const { status, output } = cruise(FIXTURE);
    expect(status).not.toBe(0);
    expect(output).toMatch(/base-imports-upward: src\/config\/checks\.ts → src\/checks\/rule\.ts/);
    expect(output).toMatch(
      /sandbox-imports-more-than-the-platform: src\/sandbox\/work-types\.ts → src\/checks\/rule\.ts/,
    );
    // The downward import checks → platform is allowed: exactly the two violations above.
    expect(output).toMatch(/2 dependency violations/);
  });
});
