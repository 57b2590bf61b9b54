import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlerts } from '../../src/alerts/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { decodeWords, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import {
  AS_OF,
  EMAIL_CT6,
  SCHOOL,
  seedFindings,
  seedSchool,
  silentLogger,
  T_CT6,
  testConfig,
} from './alerts-fixture.js';

/**
 * Issue 20, the small visible things: a letter tells the data time and the send time apart, and
 * a recipient's name is encoded so that no encoded word splits a word of the name.
 */
describe('digest e-mail: data time, send time, header encoding', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    await seedFindings(m.db);
    // The last current check ran on the sync that ended at 09:30 Moscow: that is the data time.
    await m.db.run(
      `INSERT INTO check_runs (id, school_id, as_of, started_at, finished_at, status, rules, finding_count, new_count, resolved_count, entry_time_precision, kind)
       VALUES ('run-1', ?, ?, ?, ?, 'succeeded', '{}', 0, 0, 0, 'platform', 'current')`,
      [
        SCHOOL,
        Date.parse('2026-10-12T06:30:00Z'),
        Date.parse('2026-10-12T06:31:00Z'),
        Date.parse('2026-10-12T06:32:00Z'),
      ],
    );
    // A long name: the mail library's default would cut it into encoded words mid-word.
    await m.db.run(`UPDATE persons SET full_name = ?, last_name = ? WHERE id = ?`, [
      'Константинопольская Александра Вячеславовна',
      'Константинопольская',
      T_CT6,
    ]);
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
  });

  it('says «данные на» the check time and the send time, with the Date header at the send time', async () => {
    const clock = new ManualClock(AS_OF + 5 * 60_000); // sent 13:05, five minutes after the as-of
    const result = await sendAlerts(
      {
        db: m.db,
        logger: silentLogger,
        clock,
        config: testConfig({
          recipients: { [T_CT6]: EMAIL_CT6 },
          smtp: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'ezh@school5.ru' },
        }),
      },
      { asOf: AS_OF },
    );
    expect(result.failed).toBe(0);
    const mail = smtp.received.find((r) => r.to.includes(EMAIL_CT6))!;
    expect(mail).toBeDefined();
    expect(mail.mail.text).toContain('Данные на 12.10.2026 09:30');
    expect(mail.mail.text).toContain('письмо отправлено 12.10.2026 13:05');
    expect(mail.mail.html).toContain('Данные на 12.10.2026 09:30');
    expect(Date.parse(mail.mail.headers.get('date') ?? '')).toBe(AS_OF + 5 * 60_000);

    const rawTo = /^To: (.*(?:\r?\n[ \t].*)*)/m.exec(mail.raw)?.[1] ?? '';
    const decoded = decodeWords(rawTo.replace(/\r?\n[ \t]/g, ' '));
    expect(decoded).toBe(`Константинопольская Александра Вячеславовна <${EMAIL_CT6}>`);
    // Each encoded word holds whole words of the name: none starts or ends inside a word.
    const pieces = [...rawTo.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/gi)].map((x) =>
      Buffer.from(x[1] ?? '', 'base64').toString('utf8'),
    );
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('Константинопольская Александра Вячеславовна');
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith(' ')).toBe(true);
    // The subject is encoded the same way.
    const rawSubject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(mail.raw)?.[1] ?? '';
    const subjectPieces = [...rawSubject.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/gi)].map((x) =>
      Buffer.from(x[1] ?? '', 'base64').toString('utf8'),
    );
    for (const piece of subjectPieces.slice(0, -1)) expect(piece).toMatch(/\s$/);
    expect(mail.mail.subject).toBe('Электронный журнал, 6Б: 2 замечания на 12.10.2026');
  });
});
