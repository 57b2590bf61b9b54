import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_CONFIGS, namesProblem } from '../../test/fixtures/config/bad-configs.js';
import { getNextMillis } from 'bullmq';
import { demoOverrides } from '../demo/demo-config.js';
import { desiredSchedules } from '../jobs/schedules.js';
import { ConfigError } from '../platform/errors.js';
import { startSandbox } from '../sandbox/index.js';
import { loadAppConfig } from '../app/config.js';
import type { Config } from './schema.js';
import { configuredPlatform } from '../connectors/registry.js';
import type { DnevnikSettings } from '../connectors/dnevnik/settings.js';

/** Dnevnik's settings as its connector reads them (the config types only `platform.kind`). */
const dnevnikOf = (config: Config) =>
  configuredPlatform(config.platform).settings as DnevnikSettings;

function tempFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bad-config-'));
  const file = join(dir, 'ezh.yaml');
  writeFileSync(file, content);
  return file;
}

function problemsOf(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    loadAppConfig({ file: tempFile(yaml), env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError, the configuration loaded');
}

describe('bad configurations (test/fixtures/config/bad-configs.ts) through the loader', () => {
  it.each(BAD_CONFIGS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const problems = problemsOf(c.yaml ?? '', c.env);
    expect(
      namesProblem(problems.join('\n'), c),
      `expected "${c.expectPath}: …${c.expectMessage}…" among:\n${problems.join('\n')}`,
    ).toBe(true);
  });

  it('lists every problem of one file at once', () => {
    const yaml = [
      'platform:',
      '  baseURL: https://api.school.mosreg.ru/v2/',
      'schools:',
      '  - id: "1000002283077"',
      '    timezone: Asia/Yekaterinburg',
      '    finalMarkDeadlines: { "3 четверть": "2026-02-30" }',
      '  - id: "1000002283077"',
      '    timeZone: Europe/Moskow',
      'alerts:',
      '  schedule: "0 25 * * *"',
      '',
    ].join('\n');
    const problems = problemsOf(yaml, { EZH_WEBHOOK_SECRET: '1234567890123' });
    const paths = problems.map((p) => p.slice(0, p.indexOf(': '))).sort();
    expect(paths).toEqual(
      [
        'alerts.schedule',
        'alerts.webhook.secret',
        'platform.baseURL',
        'schools.0.finalMarkDeadlines.3 четверть',
        'schools.0.timezone',
        'schools.1.id',
        'schools.1.timeZone',
      ].sort(),
    );
  });
});

describe('what a good configuration may say', () => {
  it('takes all-digit secrets from the environment as strings', () => {
    const { config } = loadAppConfig({
      file: tempFile(''),
      env: {
        EZH_DNEVNIK_TOKEN: '12345678901',
        EZH_DNEVNIK_CLIENT_SECRET: '42',
        EZH_SMTP_PASSWORD: '000123',
        EZH_WEBHOOK_SECRET: '1234567890123456',
      },
    });
    expect(config.platform.token).toBe('12345678901');
    expect(dnevnikOf(config).oauth.clientSecret).toBe('42');
    expect(config.alerts.smtp.password).toBe('000123');
    expect(config.alerts.webhook.secret).toBe('1234567890123456');
  });

  it('maps EZH_<SECTION>__<KEY> overrides onto the keys they name, at any depth', () => {
    const { config } = loadAppConfig({
      file: tempFile(''),
      env: {
        EZH_SYNC__RECENT_DAYS: '7',
        EZH_SYNC__CURRENT_PERIOD_EVERY_RUN: 'false',
        EZH_SYNC__MASS_DELETION__MAX_SHARE: '0.5',
        EZH_PLATFORM__BASE_URL: 'https://api.school.mosreg.ru/v2/',
        EZH_PLATFORM__OAUTH__CLIENT_ID: '12345',
        EZH_CHECKS__RULES__MARK_LATE__DEADLINE_DAYS: '2',
        EZH_CHECKS__RULES__TOPIC_MISSING__ENABLED: 'false',
        EZH_JOBS__SCHEDULES__INCREMENTAL_SYNC__PATTERN: '0 8-20 * * 1-5',
        EZH_ALERTS__SCHEDULE: '0 14 * * 1-6',
        EZH_REDIS__PREFIX: '2026',
      },
    });
    expect(config.sync.recentDays).toBe(7);
    expect(config.sync.currentPeriodEveryRun).toBe(false);
    expect(config.sync.massDeletion.maxShare).toBe(0.5);
    expect(config.platform.baseUrl).toBe('https://api.school.mosreg.ru/v2/');
    // A string key keeps an all-digit value as text.
    expect(dnevnikOf(config).oauth.clientId).toBe('12345');
    expect(config.redis.prefix).toBe('2026');
    expect(config.checks.rules['mark-late']).toMatchObject({ deadlineDays: 2 });
    expect(config.checks.rules['topic-missing']).toMatchObject({ enabled: false });
    expect(config.jobs.schedules.incrementalSync.pattern).toBe('0 8-20 * * 1-5');
    expect(config.alerts.schedule).toBe('0 14 * * 1-6');
  });

  it("accepts IANA zones and the platform's UTC offsets, real dates and scheduler patterns", () => {
    const yaml = [
      'schools:',
      '  - id: "1"',
      '    timeZone: Asia/Yekaterinburg',
      '    finalMarkDeadlines: { "2 четверть": "2026-12-25", "год": "2028-02-29" }',
      '    exemptions:',
      '      - { studentId: "7", from: "2026-09-01", to: "2026-09-01" }',
      '  - id: "2"',
      '    timeZone: UTC+3',
      '    baseUrl: http://127.0.0.1:8080/v2/',
      'alerts:',
      '  schedule: "30 13 * * MON-FRI"',
      'archive:',
      '  schedule: { weekly: null }',
      'jobs:',
      '  schedules:',
      '    auditReport: { pattern: "0 7 L * *" }',
      'database:',
      '  type: postgres',
      '  url: postgresql://ezh:secret@db.school5.ru:5432/ezh',
      'redis:',
      '  url: rediss://:pw@cache.school5.ru:6380/2',
      '',
    ].join('\n');
    const { config } = loadAppConfig({ file: tempFile(yaml), env: {} });
    expect(config.schools.map((s) => s.timeZone)).toEqual(['Asia/Yekaterinburg', 'UTC+3']);
    expect(config.schools[0]?.finalMarkDeadlines).toEqual({
      '2 четверть': '2026-12-25',
      год: '2028-02-29',
    });
    expect(config.archive.schedule.weekly).toBeNull();
    // What the config accepts, BullMQ's scheduler installs: every pattern in every school's zone.
    const specs = desiredSchedules(
      config,
      (id) => config.schools.find((s) => s.id === id)!.timeZone!,
    );
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) {
      expect(getNextMillis(Date.now(), { pattern: spec.pattern, tz: spec.tz }), spec.id).toEqual(
        expect.any(Number),
      );
    }
  });

  it('loads config/ezh.example.yaml as it is', () => {
    const { config } = loadAppConfig({ file: 'config/ezh.example.yaml', env: {} });
    expect(config.jobs.schedules.incrementalSync.pattern).toBe('0 7-21 * * 1-6');
  });

  it("loads the demo's configuration (built-in defaults plus the sandbox it starts)", async () => {
    const sandbox = await startSandbox({ size: 'small' });
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'ezh-demo-config-'));
      for (const file of [tempFile(''), 'config/ezh.example.yaml']) {
        const { config } = loadAppConfig({
          file,
          env: {},
          overrides: demoOverrides(sandbox, dataDir),
        });
        expect(config.schools.map((s) => s.id)).toEqual(sandbox.schools.map((s) => s.id));
        expect(config.platform.baseUrl).toBe(sandbox.url);
      }
    } finally {
      await sandbox.close();
    }
  });
});
