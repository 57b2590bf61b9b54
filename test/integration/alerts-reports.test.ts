import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReports, type AlertDeps, type DocumentRenderer } from '../../src/alerts/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { AS_OF, DAY, seedSchool, silentLogger, testConfig } from './alerts-fixture.js';

describe('scheduled documents to subscribers (sqlite)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let dir: string;
  let deps: AlertDeps & { render: DocumentRenderer };
  const renders: string[] = [];

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    smtp = await startSmtpServer();
    dir = mkdtempSync(join(tmpdir(), 'ezh-alerts-docs-'));
    const config = testConfig({
      smtp: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'ezh@school5.example.ru' },
      subscriptions: [
        { document: 'audit', to: ['Смирнова Елена Викторовна', 'it@school5.example.ru'] },
        { document: 'performance', to: ['Смирнова Елена Викторовна'] },
      ],
    });
    config.alerts.recipients['Смирнова Елена Викторовна'] = 'deputy@school5.example.ru';
    deps = {
      db: m.db,
      logger: silentLogger,
      config,
      render: async (kind, opts) => {
        const file = join(dir, `${kind}-${opts.period ?? opts.asOf}.pdf`);
        writeFileSync(file, '%PDF-1.4\n% test\n');
        renders.push(kind);
        return file;
      },
    };
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders once, mails the PDF to each subscriber once per edition', async () => {
    const [first] = await sendReports(deps, { kind: 'audit', asOf: AS_OF });
    expect(first?.deliveries.map((d) => d.status)).toEqual(['sent', 'sent']);
    expect(renders).toEqual(['audit']);
    expect(smtp.received.map((r) => r.to[0]).sort()).toEqual([
      'deputy@school5.example.ru',
      'it@school5.example.ru',
    ]);
    for (const r of smtp.received) {
      expect(r.mail.subject).toBe('Справка по итогам проверки электронного журнала на 12.10.2026');
      expect(r.mail.attachments).toHaveLength(1);
      expect(r.mail.attachments[0]?.contentType).toBe('application/pdf');
      expect(r.mail.attachments[0]?.content.toString('utf8').startsWith('%PDF')).toBe(true);
    }
    const again = await sendReports(deps, { kind: 'audit', asOf: AS_OF + 60_000 });
    expect(again[0]?.alreadySent).toBe(2);
    expect(renders).toEqual(['audit']);
    expect(smtp.received).toHaveLength(2);

    await sendReports(deps, { kind: 'audit', asOf: AS_OF + 10 * DAY });
    expect(smtp.received).toHaveLength(4);
  });

  it('keys period results by period and requires one', async () => {
    await expect(sendReports(deps, { kind: 'performance', asOf: AS_OF })).rejects.toThrow(
      /--period/,
    );
    const [res] = await sendReports(deps, {
      kind: 'performance',
      period: '1 четверть',
      asOf: AS_OF,
    });
    expect(res?.deliveries.map((d) => d.recipient.email)).toEqual(['deputy@school5.example.ru']);
    expect(smtp.received.at(-1)?.mail.subject).toBe('Итоги успеваемости за период «1 четверть»');
    await sendReports(deps, { kind: 'performance', period: '1 четверть', asOf: AS_OF + DAY });
    expect(smtp.received).toHaveLength(5);
  });
});
