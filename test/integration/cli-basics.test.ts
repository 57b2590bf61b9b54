import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const BAD = resolve(import.meta.dirname, '../fixtures/config/bad.yaml');

describe('ezh command line', () => {
  it('lists its commands in --help and exits 0', () => {
    const res = runCli(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Commands:/);
    expect(res.stdout).toMatch(/\bdemo\b/);
  });

  it('exits 2 on bad config, listing all three problems by path', () => {
    const res = runCli(['--config', BAD, 'config']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('platform.baseUrl: must be a URL');
    expect(res.stderr).toContain('platform.requestsPerSecond: must be positive');
    expect(res.stderr).toMatch(/database\.type: /);
  });

  it('exits 2 on an unknown command or option', () => {
    expect(runCli(['no-such-command']).code).toBe(2);
    expect(runCli(['config', '--no-such-option']).code).toBe(2);
  });

  it('prints the effective config with secrets redacted', () => {
    const token = 'zz9988776655443322110099887766zz';
    const res = runCli(['config'], {
      cwd: mkdtempSync(join(tmpdir(), 'ezh-cli-')),
      env: { EZH_DNEVNIK_TOKEN: token },
    });
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain(token);
    expect(res.stdout).toContain('"token": "[redacted]"');
  });
});
