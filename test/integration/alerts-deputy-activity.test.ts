import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendScheduledDocument } from '../../src/alerts/scheduled-documents.js';
import type { AlertDeps } from '../../src/alerts/index.js';
import { desiredSchedules } from '../../src/jobs/schedules.js';
import { activityDocument } from '../../src/reports/documents/activity.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { SCHOOL, seedSchool, silentLogger, testConfig } from './alerts-fixture.js';

/**
 * 001 §3.2.1: the activity report is made every month and handed to the deputy director. With
 * alerts on and the deputy director named in the config, it goes without a subscription of its own.
 */
describe('the monthly activity report reaches the deputy director (sqlite, real SMTP)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let dir: string;
  const DEPUTY = 'Смирнова Елена Викторовна';
  const EMAIL = 'deputy@school5.example.ru';

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    smtp = await startSmtpServer();
    dir = mkdtempSync(join(tmpdir(), 'ezh-deputy-'));
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (subscriptions: unknown[], port = 25) => {
    const c = testConfig({
      enabled: true,
      smtp: { host: '127.0.0.1', port, starttls: 'off', from: 'ezh@school5.example.ru' },
      subscriptions,
    });
    c.schools[0]!.deputyDirector = DEPUTY;
    c.alerts.recipients[DEPUTY] = EMAIL;
    return c;
  };

  it('is scheduled on the 1st at 07:00 without a subscription; none without a deputy director', () => {
    const activity = (c: ReturnType<typeof config>) =>
      desiredSchedules(c, () => 'Europe/Moscow').flatMap((s) =>
        s.job.name === 'alerts.document' && s.job.payload.document === 'activity'
          ? [s.pattern]
          : [],
      );
    expect(activity(config([]))).toEqual(['0 7 1 * *']);
    // An explicit subscription on the same schedule: still one scheduler.
    expect(activity(config([{ document: 'activity', to: [EMAIL] }]))).toEqual(['0 7 1 * *']);
    const none = config([]);
    none.schools[0]!.deputyDirector = undefined;
    expect(activity(none)).toEqual([]);
  });

  it('mails last month’s report to the deputy director once, also when subscribed by address', async () => {
    const c = config([{ document: 'activity', to: [EMAIL] }], smtp.port);
    const months: string[] = [];
    const deps: AlertDeps & Parameters<typeof sendScheduledDocument>[0] = {
      db: m.db,
      logger: silentLogger,
      config: c,
      // The activity document of the registry, printing a stand-in PDF.
      documents: (id) =>
        id !== 'activity'
          ? undefined
          : {
              edition: (o) => activityDocument.subscription!.edition(o),
              render: async (_school, params) => {
                const { month } = params as { month: string };
                months.push(month);
                const file = join(dir, `activity-${month}.pdf`);
                writeFileSync(file, '%PDF-1.4\n% test\n');
                return file;
              },
            },
    };
    const res = await sendScheduledDocument(deps, {
      schoolId: SCHOOL,
      document: 'activity',
      asOf: Date.parse('2026-12-01T04:00:00Z'),
    });
    expect(months).toEqual(['2026-11']);
    expect(res[0]?.deliveries.map((d) => [d.recipient.email, d.status])).toEqual([[EMAIL, 'sent']]);
    expect(smtp.received.map((r) => r.to[0])).toEqual([EMAIL]);
    expect(smtp.received[0]?.mail.subject).toBe(
      'Отчёт об активности в электронном журнале за ноябрь 2026',
    );
  });
});
