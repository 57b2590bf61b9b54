import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/load.js';
import { redactString } from '../platform/redact.js';
import { createAppContext } from './context.js';

/**
 * The platform's variables (EZH_DNEVNIK_*) come from its connector; a config loaded without the
 * connector registry would ignore them, and a token set only in the environment would be missing
 * (an operator's "401 no valid access token" with the token right there in the unit file).
 */
describe('every config loaded for real use applies the platform variables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-app-config-'));
  const file = join(dir, 'ezh.yaml');
  writeFileSync(file, 'schools:\n  - id: "1000002283077"\n    timeZone: Europe/Moscow\n');
  afterEach(() => vi.unstubAllEnvs());

  it('the context every door builds (CLI, demo, worker) takes EZH_DNEVNIK_TOKEN and redacts it', async () => {
    vi.stubEnv('EZH_DNEVNIK_TOKEN', 'env-token-7f3a9c2e51');
    const app = createAppContext({ configFile: file, overrides: { log: { level: 'silent' } } });
    try {
      expect(app.config.platform).toMatchObject({ kind: 'dnevnik', token: 'env-token-7f3a9c2e51' });
      expect(redactString('token env-token-7f3a9c2e51')).not.toContain('env-token-7f3a9c2e51');
    } finally {
      await app.close();
    }
  });

  it('loadConfig cannot be called without the connectors: it refuses, naming loadAppConfig', () => {
    const bare = () =>
      loadConfig({ file, env: { EZH_DNEVNIK_TOKEN: 'lost-token-1234567' } } as never);
    expect(bare).toThrow(/connector registry \(use loadAppConfig\)/);
    // @ts-expect-error the connectors are required by its type as well
    expect(() => loadConfig({ file, env: {} })).toThrow(/loadAppConfig/);
    expect(() => loadConfig({ file, env: {}, connectors: [] })).toThrow(/loadAppConfig/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
