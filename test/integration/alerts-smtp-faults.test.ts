import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlerts, type AlertDeps } from '../../src/alerts/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { startSmtpServer, type DataVerdict, type TestSmtpServer } from '../helpers/smtp.js';
import { AS_OF, seedFindings, seedSchool, silentLogger, testConfig } from './alerts-fixture.js';

function depsFor(m: TestMirror, smtp: TestSmtpServer): AlertDeps {
  return {
    db: m.db,
    logger: silentLogger,
    config: testConfig({
      smtp: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'ezh@school5.example.ru' },
    }),
  };
}

describe('alert digests over a faulty SMTP relay (sqlite)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let mode: 'flaky' | 'refusing' = 'flaky';

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    await seedFindings(m.db);
    smtp = await startSmtpServer({
      verdict: (attempt): DataVerdict => {
        if (mode === 'refusing') return { code: 550, message: 'Mailbox unavailable' };
        // The 2nd transaction gets a 451, the 4th loses its connection before the reply.
        if (attempt === 1) return { code: 451, message: 'Temporary local problem' };
        if (attempt === 3) return 'drop';
        return 'accept';
      },
    });
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
  });

  it('retries a 451 and a dropped connection; every message delivered exactly once', async () => {
    const result = await sendAlerts(depsFor(m, smtp), { asOf: AS_OF });
    expect(result.failed).toBe(0);
    expect(result.sent).toBe(3);
    expect(smtp.attempts).toBe(5);
    const to = smtp.received.map((r) => r.to.join(','));
    expect(to).toHaveLength(3);
    expect(new Set(to).size).toBe(3);
    expect(new Set(smtp.received.map((r) => r.mail.messageId)).size).toBe(3);
    expect((await sendAlerts(depsFor(m, smtp), { asOf: AS_OF })).sent).toBe(0);
    expect(smtp.received).toHaveLength(3);
  });

  it('does not retry a permanent refusal, records nothing, and delivers on a later run', async () => {
    const fresh = await createTestMirror('sqlite');
    try {
      await seedSchool(fresh.db);
      await seedFindings(fresh.db);
      mode = 'refusing';
      const before = smtp.attempts;
      const refused = await sendAlerts(depsFor(fresh, smtp), { asOf: AS_OF });
      expect(refused.sent).toBe(0);
      expect(refused.failed).toBe(3);
      expect(smtp.attempts - before).toBe(3);
      expect(refused.digests.every((d) => d.error?.includes('550'))).toBe(true);
      const rows = await fresh.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM alert_deliveries`,
      );
      expect(Number(rows[0]?.n)).toBe(0);

      mode = 'flaky';
      const received = smtp.received.length;
      const later = await sendAlerts(depsFor(fresh, smtp), { asOf: AS_OF });
      expect(later.sent).toBe(3);
      expect(smtp.received.length - received).toBe(3);
    } finally {
      await fresh.dispose();
    }
  });
});
