import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOperatorAlerts } from '../../src/alerts/index.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { silentLogger } from './alerts-fixture.js';

/**
 * Issue 20, operator alerts: the platform starts refusing the school's token; the ICT engineer
 * (the `sync-health` subscriber) hears it once, with what to do, however many syncs fail after,
 * and once more when syncs succeed again.
 */
describe('operator alert for a refused token, and recovery (sqlite, sandbox, real SMTP)', () => {
  let sb: SandboxServer;
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let good: Config;
  let refused: Config;
  let alertsConfig: Config;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 7, port: 0 });
    m = await createTestMirror('sqlite');
    smtp = await startSmtpServer();
    good = sandboxConfig(sb);
    // The same school, with a token the platform no longer accepts (revoked, expired).
    refused = configSchema.parse({
      ...good,
      schools: good.schools.map((s) => ({ ...s, token: 'revoked-token-0000000000000000' })),
    });
    alertsConfig = configSchema.parse({
      schools: good.schools.map((s) => ({ id: s.id, timeZone: s.timeZone })),
      alerts: {
        smtp: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'ezh@school.example' },
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        subscriptions: [{ document: 'sync-health', to: ['ict@school.example'] }],
      },
    });
  }, 120_000);
  afterAll(async () => {
    await smtp?.close();
    await sb?.close();
    await m?.dispose();
  });

  const check = () =>
    sendOperatorAlerts(
      { db: m.db, config: alertsConfig, logger: silentLogger, clock: sb.clock },
      { asOf: sb.now() },
    );

  it('tells the ICT engineer once, with what to do, then once that it recovered', async () => {
    const school = sb.schools[0]!.id;
    await syncSandboxSchool(m.db, good, sb.clock, school);
    expect((await check())[0]!.sent).toEqual([]);

    // Each run a minute after the last: runs are ordered by their start, and the sandbox clock
    // stands still unless moved (equal starts made the order, and this test, a coin toss).
    sb.advance(60_000);
    await expect(syncSandboxSchool(m.db, refused, sb.clock, school)).rejects.toThrow();
    const first = await check();
    expect(first[0]!.problems).toEqual([expect.stringMatching(/^token:/)]);
    expect(smtp.received).toHaveLength(1);
    const alert = smtp.received[0]!;
    expect(alert.to).toEqual(['ict@school.example']);
    expect(alert.mail.subject).toContain('платформа не принимает токен');
    expect(alert.mail.text).toContain('Что сделать: Получите новый токен');
    expect(alert.mail.text).toContain('ezh auth check');

    // More failing syncs, more checks: the same problem, no second letter.
    sb.advance(60_000);
    await expect(syncSandboxSchool(m.db, refused, sb.clock, school)).rejects.toThrow();
    await check();
    await check();
    expect(smtp.received).toHaveLength(1);

    // The token is replaced: the next sync succeeds, and one recovery letter follows.
    sb.advance(60_000);
    await syncSandboxSchool(m.db, good, sb.clock, school);
    const recovered = await check();
    expect(recovered[0]!.problems).toEqual([]);
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.mail.subject).toContain('синхронизация восстановлена');
    expect(smtp.received[1]!.mail.text).toContain('Синхронизация снова проходит успешно');
    await check();
    expect(smtp.received).toHaveLength(2);
  }, 300_000);

  it('tells of a token refused on the very first sync, before the school has a zone', async () => {
    const fresh = await createTestMirror('sqlite');
    try {
      const school = sb.schools[0]!.id;
      // Configured by id alone: the zone would come from the platform, which refused to answer.
      const noZone = configSchema.parse({
        ...refused,
        schools: refused.schools.map(({ timeZone: _tz, ...s }) => s),
      });
      await expect(syncSandboxSchool(fresh.db, noZone, sb.clock, school)).rejects.toThrow();
      const before = smtp.received.length;
      const sent = await sendOperatorAlerts(
        {
          db: fresh.db,
          config: configSchema.parse({
            ...alertsConfig,
            schools: [{ id: school }],
          }),
          logger: silentLogger,
          clock: sb.clock,
        },
        { asOf: sb.now() },
      );
      expect(sent[0]!.problems).toEqual([expect.stringMatching(/^token:/)]);
      expect(smtp.received).toHaveLength(before + 1);
      const letter = smtp.received.at(-1)!;
      expect(letter.mail.subject).toContain('платформа не принимает токен');
      expect(letter.mail.text).toMatch(/\(UTC\)/);
    } finally {
      await fresh.dispose();
    }
  }, 300_000);
});
