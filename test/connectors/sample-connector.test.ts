import { describe, expect, it } from 'vitest';
import { authStep } from '../../src/cli/commands/auth.js';
import { loadConfig } from '../../src/config/load.js';
import { CONNECTORS } from '../../src/connectors/registry.js';
import {
  PlatformError,
  type PlatformErrorReason,
} from '../../src/connectors/_shared/http-error.js';
import { classifyJobError } from '../../src/jobs/job-errors.js';
import { ConfigError, UsageError } from '../../src/platform/errors.js';
import { createLogger } from '../../src/platform/logger.js';
import { redactValue } from '../../src/platform/redact.js';
import { sample } from '../fixtures/connectors/sample.connector.js';

/**
 * A new connector is its own files plus one line in the registry: here the line is added to the
 * registry's list the way `src/connectors/registry.ts` would hold it, and nothing else of ezh
 * (config sections, env handling, secrets, job retries) is told about the platform.
 */
const connectors = [...CONNECTORS, sample] as const;

function load(env: Record<string, string>, platform: Record<string, unknown> = { kind: 'sample' }) {
  return loadConfig({ env, overrides: { platform }, connectors }).config;
}

describe('a connector defined in its own files', () => {
  it('validates its settings inside `platform`, with its defaults', () => {
    const config = load({});
    expect(Object.keys(config.platform)[0]).toBe('kind');
    expect(config.platform).toEqual({
      kind: 'sample',
      endpoint: 'https://api.sample.example/v1/',
      pageSize: 100,
    });
    const bad = () => load({}, { kind: 'sample', pageSize: 0, baseUrl: 'https://x.example/' });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const problems = (err as ConfigError).problems;
      expect(problems).toContainEqual(expect.stringMatching(/^platform\.pageSize: /));
      // Dnevnik's keys are not the sample platform's.
      expect(problems).toContainEqual(expect.stringMatching(/^platform\.baseUrl: unknown key/));
    }
  });

  it('keeps the default platform for a config that names none', () => {
    const { config } = loadConfig({ env: { EZH_DNEVNIK_TOKEN: 'dnevnik-token-1' }, connectors });
    expect(config.platform.kind).toBe('dnevnik');
    expect(config.platform).toMatchObject({ token: 'dnevnik-token-1' });
  });

  it('takes its own environment variables, and only when it is the configured platform', () => {
    const env = {
      EZH_SAMPLE_API_KEY: 'sample-key-1234',
      EZH_SAMPLE_SIGNING_PHRASE: 'open sesame',
      EZH_DNEVNIK_TOKEN: 'dnevnik-token-2',
      EZH_PLATFORM__PAGE_SIZE: '250',
    };
    expect(load(env).platform).toMatchObject({
      apiKey: 'sample-key-1234',
      signingPhrase: 'open sesame',
      pageSize: 250,
    });
    const problems = (() => {
      try {
        load({ EZH_SAMPLE_API_KEY: 'short' });
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    })();
    expect(problems).toEqual([
      'platform.apiKey: must be at least 8 characters (from EZH_SAMPLE_API_KEY)',
    ]);
  });

  it('redacts its secrets in `ezh config show` and in logs', () => {
    const config = load({
      EZH_SAMPLE_API_KEY: 'sample-key-5678',
      EZH_SAMPLE_SIGNING_PHRASE: 'correct horse battery',
    });
    const shown = JSON.stringify(redactValue(config));
    expect(shown).not.toContain('sample-key-5678');
    expect(shown).not.toContain('correct horse battery');
    expect(shown).toContain('"pageSize":100');

    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (line: string) => lines.push(line) },
    });
    logger.info({ platform: config.platform }, 'signing with correct horse battery');
    expect(lines.join('')).not.toContain('correct horse battery');
    expect(lines.join('')).not.toContain('sample-key-5678');
  });

  it('has its rate limit retried by the jobs after the wait it asked for', async () => {
    const connector = sample.create(sample.parseSettings({}), {});
    const err = await connector.fetch(['schools'], { schoolId: '1' }).catch((e: unknown) => e);
    expect(classifyJobError(err)).toMatchObject({ kind: 'rateLimit', waitMs: 1_500 });
  });

  it('is judged by its reason, not by another platform’s error names', () => {
    const named = (reason: PlatformErrorReason) =>
      new PlatformError('GET schools: apiRequestLimit', {
        kind: reason === 'unauthorized' ? 'auth' : 'retryable',
        reason,
        type: 'apiRequestLimit',
        status: 429,
        endpoint: 'GET schools',
      });
    expect(classifyJobError(named('unavailable'))).toEqual({ kind: 'retry', waitMs: null });
    expect(classifyJobError(named('unauthorized'))).toEqual({ kind: 'permanent' });
  });

  it('has no `ezh auth` steps, and `ezh auth` says so (exit 2) where Dnevnik has them', () => {
    const attempt = () => authStep('sample', 'url', 'authorizationUrl', connectors);
    expect(attempt).toThrow(UsageError);
    try {
      attempt();
    } catch (err) {
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as UsageError).problems).toEqual([
        'platform.kind: "sample" has no authorization steps (its secrets are set in the config or the environment)',
      ]);
    }
    const dnevnik = authStep('dnevnik', 'exchange', 'exchangeCode', connectors);
    expect(typeof dnevnik.exchangeCode).toBe('function');
    expect(dnevnik.grantVariables).toEqual(['EZH_DNEVNIK_TOKEN', 'EZH_DNEVNIK_REFRESH_TOKEN']);
  });
});
