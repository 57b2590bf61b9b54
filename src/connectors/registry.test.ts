import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadAppConfig } from '../app/config.js';
import { UsageError } from '../platform/errors.js';
import { defineConnector } from './define-connector.js';
import { dnevnikClientSettings } from './dnevnik/settings.js';
import { configuredPlatform, createConnector, PLATFORM_KINDS } from './registry.js';
import type { Config } from '../config/schema.js';
import type { DnevnikSettings } from './dnevnik/settings.js';

const dnevnikOf = (config: Config) =>
  configuredPlatform(config.platform).settings as DnevnikSettings;

const settings = {
  baseUrl: 'https://api.dnevnik.ru/v2/',
  token: 'token-abcdefgh',
  requestsPerSecond: 4,
  concurrency: 4,
  timeoutMs: 30_000,
  maxRetries: 6,
};

describe('connector registry', () => {
  it('creates the Dnevnik.ru connector by its key', () => {
    const connector = createConnector('dnevnik', settings);
    expect(connector.platform).toBe('dnevnik');
    expect(connector.capabilities.markEntryTime).toBe(true);
    expect(PLATFORM_KINDS).toContain('dnevnik');
  });

  it('refuses an unknown platform, naming the known ones', () => {
    const attempt = () => createConnector('eljur', settings);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/unknown platform "eljur"/);
    try {
      attempt();
    } catch (err) {
      expect((err as UsageError).problems).toEqual([
        'platform.kind: "eljur" is not a known platform (known: dnevnik)',
      ]);
    }
  });

  it('takes a school’s own host and token over the platform’s', () => {
    const { config } = loadAppConfig({
      env: { EZH_DNEVNIK_TOKEN: 'platform-token-123' },
      overrides: {
        schools: [
          {
            id: '1000002283077',
            token: 'school-token-456',
            baseUrl: 'https://api.school.mosreg.ru/v2/',
          },
        ],
      },
    });
    const school = config.schools[0] ?? null;
    expect(dnevnikClientSettings(dnevnikOf(config), school)).toMatchObject({
      baseUrl: 'https://api.school.mosreg.ru/v2/',
      token: 'school-token-456',
    });
    expect(dnevnikClientSettings(dnevnikOf(config))).toMatchObject({
      baseUrl: 'https://api.dnevnik.ru/v2/',
      token: 'platform-token-123',
      maxRetries: 6,
    });
  });

  it('refuses at start-up a connector whose secret or variable names no setting', () => {
    const attempt = () =>
      defineConnector({
        kind: 'broken',
        settings: z.strictObject({ apiKey: z.string().optional() }),
        secrets: ['apikey'],
        env: { EZH_BROKEN_KEY: 'key', broken_lower: 'apiKey' },
        create: () => {
          throw new Error('never created');
        },
      });
    expect(attempt).toThrow(
      'connector "broken" is defined wrongly: secret "apikey" is not a setting; ' +
        'environment variable EZH_BROKEN_KEY names no setting ("key"); ' +
        'environment variable broken_lower must match /^EZH_[A-Z0-9_]+$/',
    );
  });
});
