import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAlerts, type AlertDeps } from '../../src/alerts/index.js';
import { FindingsService } from '../../src/app/findings-service.js';
import { loadAudit } from '../../src/reports/data/audit.js';
import { renderAuditHtml } from '../../src/reports/html/audit-html.js';
import { runCli } from '../helpers/cli.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import {
  AS_OF,
  DAY,
  EMAIL_CT6,
  EMAIL_MATH,
  SCHOOL,
  seedFindings,
  seedSchool,
  silentLogger,
  testConfig,
  ZONE,
} from './alerts-fixture.js';

/**
 * Issue 20, a finding's life, as a deputy director does it from the command line: acknowledge,
 * waive with a reason (hidden from the next digest, «снято: …» in the next справка), reopen (sent
 * again), and the history keeps all three with who and when.
 */
describe('ezh findings ack|waive|reopen (sqlite)', () => {
  let m: TestMirror;
  let dir: string;
  let configFile: string;
  let smtp: TestSmtpServer;
  let deps: AlertDeps;

  const cli = (...args: string[]) => runCli(['--config', configFile, 'findings', ...args]);

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    await seedFindings(m.db);
    await m.db.run(
      `INSERT INTO check_runs (id, school_id, as_of, started_at, finished_at, status, rules, finding_count, new_count, resolved_count, entry_time_precision, kind)
       VALUES ('run-1', ?, ?, ?, ?, 'succeeded', '{}', 6, 6, 0, 'platform', 'current')`,
      [SCHOOL, AS_OF - DAY, AS_OF - DAY, AS_OF - DAY],
    );
    dir = mkdtempSync(join(tmpdir(), 'ezh-findings-'));
    configFile = join(dir, 'ezh.yaml');
    writeFileSync(
      configFile,
      [
        'database:',
        '  type: sqlite',
        `  path: ${JSON.stringify(m.database.path)}`,
        'schools:',
        `  - { id: "${SCHOOL}", timeZone: ${ZONE} }`,
        '',
      ].join('\n'),
    );
    smtp = await startSmtpServer();
    deps = {
      db: m.db,
      logger: silentLogger,
      config: testConfig({
        smtp: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'ezh@school5.ru' },
      }),
    };
  });
  afterAll(async () => {
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waive hides a finding from the next digest and marks it «снято» in the справка; reopen brings it back', async () => {
    // `ezh check --format json` ids work as input: acknowledge through such a file.
    const json = join(dir, 'check.json');
    writeFileSync(
      json,
      JSON.stringify({ findings: [{ id: 'f-topic-6b', rule: 'topic-missing' }] }),
    );
    const ack = cli('ack', '--from-json', json, '--by', 'Сидорова Елена Викторовна');
    expect(ack.stderr).toBe('');
    expect(ack.code).toBe(0);
    expect(ack.stdout).toContain('acknowledged f-topic-6b');

    const waive = cli(
      'waive',
      'f-topic-6b',
      '--reason',
      'замена: урок провёл другой учитель',
      '--by',
      'Сидорова Елена Викторовна',
    );
    expect(waive.code).toBe(0);
    // The same service the CLI calls: a waiver without a reason is refused; states are listed.
    const service = new FindingsService(m.db);
    await expect(
      service.waive({ ids: ['f-att-6b'] }, { by: 'Сидорова Елена Викторовна', at: Date.now() }),
    ).rejects.toMatchObject({ problems: ['--reason: a waiver needs a reason'] });
    const states = (await service.list({ classes: ['6Б'] })).map((f) => [f.id, f.state]);
    expect(states).toEqual(
      expect.arrayContaining([
        ['f-topic-6b', 'waived'],
        ['f-att-6b', 'open'],
      ]),
    );

    // The next digest: the 6Б class teacher and the mathematics teacher do not get the waived one.
    const first = await sendAlerts(deps, { asOf: AS_OF });
    expect(first.failed).toBe(0);
    const to = (address: string) => smtp.received.filter((r) => r.to.includes(address));
    expect(to(EMAIL_CT6).length).toBe(1);
    for (const mail of [...to(EMAIL_CT6), ...to(EMAIL_MATH)]) {
      expect(mail.mail.text).not.toContain('Не заполнена тема урока: 6Б');
    }

    // The next справка lists it as waived, with the reason, who and when.
    const audit = await loadAudit(
      m.db,
      { id: SCHOOL, name: 'Школа № 5', zone: ZONE, director: null, deputyDirector: null },
      Date.now() + 60_000,
    );
    const row = audit.findings.find((f) => f.rule === 'topic-missing');
    expect(row?.waived).toMatchObject({
      reason: 'замена: урок провёл другой учитель',
      by: 'Сидорова Елена Викторовна',
    });
    const html = renderAuditHtml(audit).html;
    expect(html).toMatch(
      /снято: замена: урок провёл другой учитель, Сидорова Елена Викторовна, \d\d\.\d\d\.\d{4}/,
    );

    const reopen = cli('reopen', 'f-topic-6b', '--by', 'Сидорова Елена Викторовна');
    expect(reopen.code).toBe(0);
    const second = await sendAlerts(deps, { asOf: AS_OF + 60 * 60_000 });
    expect(second.sent).toBe(2);
    for (const address of [EMAIL_CT6, EMAIL_MATH]) {
      const last = to(address).at(-1)!;
      expect(last.mail.text).toContain('Не заполнена тема урока: 6Б');
    }

    const history = cli('history', 'f-topic-6b');
    expect(history.code).toBe(0);
    const lines = history.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(lines.map((l) => l.trim().split(/\s+/)[2])).toEqual(['acknowledge', 'waive', 'reopen']);
    expect(lines.every((l) => l.includes('Сидорова Елена Викторовна'))).toBe(true);
    expect(history.stdout).toContain('state: open');
  }, 600_000);
});
