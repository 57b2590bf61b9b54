import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlerts, type AlertDeps } from '../../src/alerts/index.js';
import { createTestMirror, ENGINES, type TestMirror } from '../helpers/mirrors.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../helpers/smtp.js';
import {
  AS_OF,
  DAY,
  EMAIL_CT5,
  EMAIL_CT6,
  EMAIL_MATH,
  FINDINGS,
  resolveFinding,
  seedFindings,
  seedSchool,
  silentLogger,
  T_CT5,
  T_CT6,
  T_MATH,
  testConfig,
} from './alerts-fixture.js';

const EMAIL_OF: Record<string, string> = {
  [T_CT5]: EMAIL_CT5,
  [T_CT6]: EMAIL_CT6,
  [T_MATH]: EMAIL_MATH,
};

/** Which finding messages each address must get, from the scenario's audiences. */
function expectedByAddress(keys?: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of FINDINGS) {
    if (keys && !keys.has(f.key)) continue;
    for (const person of f.audience) {
      const address = EMAIL_OF[person] as string;
      out.set(address, [...(out.get(address) ?? []), f.key]);
    }
  }
  return out;
}

function messagesOf(mail: ReceivedMail): string[] {
  return FINDINGS.filter((f) => mail.mail.text.includes(f.message)).map((f) => f.key);
}

describe.each(ENGINES)('alert digests over SMTP on %s', (engine) => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let deps: AlertDeps;

  beforeAll(async () => {
    m = await createTestMirror(engine);
    await seedSchool(m.db);
    await seedFindings(m.db);
    smtp = await startSmtpServer({ credentials: { user: 'ezh', pass: 'smtp-secret-1' } });
    deps = {
      db: m.db,
      logger: silentLogger,
      config: testConfig({
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          starttls: 'off',
          user: 'ezh',
          password: 'smtp-secret-1',
          from: '"ЭЖ школы № 5" <ezh@school5.example.ru>',
        },
      }),
    };
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
  });

  it('sends one digest per recipient with exactly their findings', async () => {
    const result = await sendAlerts(deps, { asOf: AS_OF });
    expect(result.failed).toBe(0);
    expect(result.sent).toBe(3);
    expect(smtp.received).toHaveLength(3);
    expect(smtp.logins[0]).toEqual({ user: 'ezh', pass: 'smtp-secret-1' });

    const expected = expectedByAddress();
    const got = new Map(smtp.received.map((r) => [r.to.join(','), messagesOf(r).sort()]));
    expect(got).toEqual(new Map([...expected].map(([a, keys]) => [a, keys.sort()])));
    // Config overrides the platform's stale address; nothing goes to it.
    expect(smtp.received.flatMap((r) => r.to)).not.toContain('old-address@school5.example.ru');

    const ct5 = smtp.received.find((r) => r.to[0] === EMAIL_CT5)!;
    expect(ct5.mail.subject).toBe('Электронный журнал, 5А: 3 замечания на 12.10.2026');
    expect(ct5.mail.text).toContain('Здравствуйте, Анна Петровна!');
    expect(ct5.mail.text).toContain('Класс 5А');
    expect(ct5.mail.text).toContain('Учитель: Петров Пётр Петрович');
    expect(ct5.mail.text).toContain('Выявлено: 09.10.2026 12:00');
    expect(ct5.mail.text).toContain('Можно исправить до 15.10.2026 включительно');
    expect(ct5.mail.html).toContain('Не отмечена посещаемость');

    const math = smtp.received.find((r) => r.to[0] === EMAIL_MATH)!;
    expect(math.mail.subject).toBe('Электронный журнал, 5А, 6Б: 4 замечания на 12.10.2026');
    // Escaped in HTML, verbatim in text.
    expect(math.mail.html).toContain('08.10.2026 &lt;b&gt;2-й урок&lt;/b&gt;');
    expect(math.mail.text).toContain('08.10.2026 <b>2-й урок</b>');
    expect(math.mail.text).toContain('Срок: 09.10.2026 12:00');
  });

  it('never shows a class teacher another class', () => {
    const ct5 = smtp.received.find((r) => r.to[0] === EMAIL_CT5)!;
    const ct6 = smtp.received.find((r) => r.to[0] === EMAIL_CT6)!;
    for (const body of [ct5.mail.text, ct5.mail.html, ct5.mail.subject]) {
      expect(body).not.toContain('6Б');
      expect(body).not.toContain('Орлова');
    }
    for (const body of [ct6.mail.text, ct6.mail.html, ct6.mail.subject]) {
      expect(body).not.toContain('5А');
      expect(body).not.toContain('Козлов');
    }
  });

  it('sends nothing the second time, nor the next day', async () => {
    expect((await sendAlerts(deps, { asOf: AS_OF })).sent).toBe(0);
    expect((await sendAlerts(deps, { asOf: AS_OF + DAY })).sent).toBe(0);
    expect(smtp.received).toHaveLength(3);
    const rows = await m.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM alert_deliveries WHERE channel = 'smtp'`,
    );
    // One row per finding and recipient: the scenario's audiences.
    expect(Number(rows[0]?.n)).toBe(FINDINGS.reduce((n, f) => n + f.audience.length, 0));
  });

  it('reminds after reminderDays of the still-open findings only, once', async () => {
    await resolveFinding(m.db, 'f-two-5a', AS_OF + DAY);
    const asOf = AS_OF + 3 * DAY;
    const result = await sendAlerts(deps, { asOf });
    expect(result.sent).toBe(3);
    const reminders = smtp.received.slice(3);
    const openKeys = new Set(FINDINGS.map((f) => f.key).filter((k) => k !== 'f-two-5a'));
    const got = new Map(reminders.map((r) => [r.to.join(','), messagesOf(r).sort()]));
    expect(got).toEqual(
      new Map([...expectedByAddress(openKeys)].map(([a, keys]) => [a, keys.sort()])),
    );
    for (const r of reminders) {
      expect(r.mail.subject.startsWith('Напоминание. Электронный журнал')).toBe(true);
      expect(r.mail.text).toContain('Повторно: впервые сообщено 12.10.2026');
    }
    const counts = await m.db.query<{
      item_key: string;
      count: number;
      first_sent_at: number;
      last_sent_at: number;
    }>(
      `SELECT item_key, count, first_sent_at, last_sent_at FROM alert_deliveries WHERE recipient = ? AND channel = 'smtp' ORDER BY item_key`,
      [`person:${T_CT5}`],
    );
    expect(
      counts.map((c) => [
        c.item_key,
        Number(c.count),
        Number(c.first_sent_at),
        Number(c.last_sent_at),
      ]),
    ).toEqual([
      ['f-absent-5a-group', 2, AS_OF, asOf],
      ['f-att-5a', 2, AS_OF, asOf],
      ['f-two-5a', 1, AS_OF, AS_OF],
    ]);
    expect((await sendAlerts(deps, { asOf })).sent).toBe(0);
    expect(smtp.received).toHaveLength(6);
  });

  it('a dry run lists recipients and counts per rule without sending or recording', async () => {
    const before = await m.db.query<{ n: number }>(`SELECT count(*) AS n FROM alert_deliveries`);
    const result = await sendAlerts(deps, { asOf: AS_OF + 7 * DAY, dryRun: true });
    expect(result.sent).toBe(0);
    const ct5 = result.digests.find((d) => d.recipient.key === `person:${T_CT5}`)!;
    expect(ct5.status).toBe('dry-run');
    expect(ct5.rules).toEqual({ 'attendance-not-kept': 1, 'absent-with-mark': 1 });
    expect(ct5.reminderCount).toBe(2);
    expect(smtp.received).toHaveLength(6);
    const after = await m.db.query<{ n: number }>(`SELECT count(*) AS n FROM alert_deliveries`);
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n));
  });
});
