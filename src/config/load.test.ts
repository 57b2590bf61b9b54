import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/errors.js';
import { loadAppConfig } from '../app/config.js';

function tempFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-config-'));
  const file = join(dir, 'ezh.yaml');
  writeFileSync(file, content);
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives a complete configuration from built-in defaults', () => {
    const { config, source } = loadAppConfig({ file: tempFile(''), env: {} });
    expect(source).toMatch(/ezh\.yaml$/);
    expect(config.database).toMatchObject({ type: 'sqlite', path: './data/ezh.sqlite' });
    expect(config.platform.baseUrl).toBe('https://api.dnevnik.ru/v2/');
    expect(config.schools).toEqual([]);
  });

  it('lists every problem by its path', () => {
    const problems = problemsOf(() =>
      loadAppConfig({ file: 'test/fixtures/config/bad.yaml', env: {} }),
    );
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/^platform\.baseUrl: must be a URL \(http or https\)$/m);
    expect(problems.join('\n')).toMatch(/^platform\.requestsPerSecond: must be positive$/m);
    expect(problems.join('\n')).toMatch(/^database\.type: /m);
  });

  it('rejects unknown keys, naming them', () => {
    const problems = problemsOf(() =>
      loadAppConfig({ file: tempFile('platfrom:\n  token: x\n'), env: {} }),
    );
    expect(problems).toEqual(['platfrom: unknown key (did you mean `platform`?)']);
  });

  it('overlays EZH_* variables on the file, secrets by their short names', () => {
    const file = tempFile('platform:\n  requestsPerSecond: 2\n');
    const { config } = loadAppConfig({
      file,
      env: {
        EZH_DNEVNIK_TOKEN: 'tok-1234567890',
        EZH_PLATFORM__REQUESTS_PER_SECOND: '7',
        EZH_DATABASE_URL: 'postgres://u@h/db',
        EZH_DATABASE__TYPE: 'postgres',
      },
    });
    expect(config.platform.token).toBe('tok-1234567890');
    expect(config.platform.requestsPerSecond).toBe(7);
    expect(config.database).toMatchObject({ type: 'postgres', url: 'postgres://u@h/db' });
  });

  it('requires a URL for postgres', () => {
    const problems = problemsOf(() =>
      loadAppConfig({ file: tempFile('database:\n  type: postgres\n'), env: {} }),
    );
    expect(problems).toEqual(['database.url: is required when type is postgres']);
  });

  it('reports a missing explicit file and invalid YAML clearly', () => {
    expect(problemsOf(() => loadAppConfig({ file: '/nonexistent/ezh.yaml', env: {} }))).toEqual([
      '/nonexistent/ezh.yaml: not found',
    ]);
    const problems = problemsOf(() =>
      loadAppConfig({ file: tempFile('platform: [unclosed\n'), env: {} }),
    );
    expect(problems[0]).toMatch(/ezh\.yaml: /);
  });
});
