import { systemClock } from '../../src/platform/clock.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoAlerts } from '../../src/demo/demo-alerts.js';
import type { App } from '../../src/cli/app.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { decodeWords, parseMail } from '../helpers/smtp.js';
import { AS_OF, seedFindings, seedSchool, silentLogger, testConfig } from './alerts-fixture.js';

describe('demo alerts as .eml files (sqlite)', () => {
  let m: TestMirror;
  let outDir: string;
  let app: App;

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    await seedFindings(m.db);
    outDir = mkdtempSync(join(tmpdir(), 'ezh-alerts-demo-'));
    // No configured addresses: the demo still shows every recipient's letter.
    app = {
      config: { ...testConfig(), alerts: { ...testConfig().alerts, recipients: {} } },
      configSource: null,
      clock: systemClock,
      logger: silentLogger,
      mirror: async () => m,
      close: async () => undefined,
    };
  });
  afterAll(async () => {
    rmSync(outDir, { recursive: true, force: true });
    await m?.dispose();
  });

  it('writes parseable .eml files with Russian subjects, and no bookkeeping', async () => {
    const { files } = await writeDemoAlerts(app, { outDir, asOf: AS_OF });
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file.startsWith(join(outDir, 'alerts'))).toBe(true);
      expect(file.endsWith('.eml')).toBe(true);
    }
    const mails = files.map((f) => readFileSync(f, 'utf8'));
    for (const raw of mails) {
      const rawSubject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
      // The header is MIME-encoded (non-ASCII), and decodes to the Russian subject.
      expect(rawSubject).toMatch(/=\?UTF-8\?[BQ]\?/i);
      expect(decodeWords(rawSubject.replace(/\r\n[ \t]/g, ' '))).toMatch(
        /^Электронный журнал, .+: \d+ замечани[ея]+ на 12\.10\.2026$/,
      );
      const mail = parseMail(raw);
      expect(mail.text).toContain('Здравствуйте, ');
      expect(mail.html).toContain('<html lang="ru">');
    }
    const subjects = mails.map((r) => parseMail(r).subject).sort();
    expect(subjects).toEqual(
      [
        'Электронный журнал, 5А, 6Б: 4 замечания на 12.10.2026',
        'Электронный журнал, 5А: 3 замечания на 12.10.2026',
        'Электронный журнал, 6Б: 2 замечания на 12.10.2026',
      ].sort(),
    );
    // Without a configured address the letter goes to a reserved, undeliverable placeholder.
    expect(mails.some((r) => parseMail(r).headers.get('to')?.includes('@example.invalid>'))).toBe(
      true,
    );
    const rows = await m.db.query<{ n: number }>(`SELECT count(*) AS n FROM alert_deliveries`);
    expect(Number(rows[0]?.n)).toBe(0);

    const again = await writeDemoAlerts(app, { outDir, asOf: AS_OF });
    expect(again.files.map((f) => basename(f)).sort()).toEqual(
      files.map((f) => basename(f)).sort(),
    );
  });
});
