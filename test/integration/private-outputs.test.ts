import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileChannel } from '../../src/alerts/channels/file.js';
import { runChecksForApp } from '../../src/app/checks-service.js';
import {
  createPdfRenderer,
  renderActivity,
  renderAudit,
  renderJournal,
  renderPerformance,
} from '../../src/reports/index.js';
import { seedChecks, seedSchool, testApp } from '../fixtures/reports/school-fixture.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

/**
 * What ezh writes with students' names and marks (findings, documents, alert messages) is the
 * owner's only: files 0600, folders ezh makes 0700, whatever the umask; a folder the user made
 * keeps its mode, and a file written over an old 0644 one ends 0600.
 */

const mode = (path: string) => statSync(path).mode & 0o777;

describe('files with personal data', () => {
  let mirror: TestMirror;
  let dir: string;
  let umask: number;

  beforeAll(async () => {
    // The most permissive usual umask: nothing below may rely on a stricter one.
    umask = process.umask(0o002);
    mirror = await createTestMirror('sqlite');
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
    dir = mkdtempSync(join(tmpdir(), 'ezh-private-outputs-'));
  });
  afterAll(async () => {
    process.umask(umask);
    await mirror?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('findings.json: 0600 in folders made 0700', async () => {
    const out = join(dir, 'check', 'out', 'findings.json');
    await runChecksForApp(testApp(mirror, dir), { outFile: out });
    expect(mode(out)).toBe(0o600);
    expect(mode(join(dir, 'check', 'out'))).toBe(0o700);
    expect(mode(join(dir, 'check'))).toBe(0o700);
  });

  it('a PDF: 0600, replacing an old 0644 file; the user folder keeps its mode', async () => {
    const user = join(dir, 'user-folder');
    mkdirSync(user);
    chmodSync(user, 0o755);
    const out = join(user, 'note.pdf');
    writeFileSync(out, 'an old world-readable copy');
    chmodSync(out, 0o644);
    expect(await renderAudit(testApp(mirror, dir), { out, asOf: '2026-10-25T12:00:00' })).toBe(out);
    expect(mode(out)).toBe(0o600);
    expect(mode(user)).toBe(0o755);

    const nested = join(dir, 'report', 'out');
    const pdf = await renderAudit(testApp(mirror, nested), { asOf: '2026-10-25T12:00:00' });
    expect(mode(pdf)).toBe(0o600);
    expect(mode(nested)).toBe(0o700);
    expect(mode(join(dir, 'report'))).toBe(0o700);
  }, 120_000);

  it('every other document (journal and its .sha256, results, activity): 0600 over old 0644 files', async () => {
    const app = testApp(mirror, join(dir, 'documents'));
    const renderer = createPdfRenderer(app);
    const old = (path: string) => {
      writeFileSync(path, 'an old world-readable copy');
      chmodSync(path, 0o644);
    };
    const user = join(dir, 'documents-user');
    mkdirSync(user);
    try {
      const journal = join(user, 'journal.pdf');
      old(journal);
      old(`${journal}.sha256`);
      await renderJournal(app, { renderer, className: '5А', period: '1 четверть', out: journal });
      expect(mode(journal)).toBe(0o600);
      expect(mode(`${journal}.sha256`)).toBe(0o600);
      const performance = join(user, 'performance.pdf');
      old(performance);
      await renderPerformance(app, { renderer, period: '1 четверть', out: performance });
      expect(mode(performance)).toBe(0o600);
      const activity = join(user, 'activity.pdf');
      old(activity);
      await renderActivity(app, { renderer, month: '2026-10', out: activity });
      expect(mode(activity)).toBe(0o600);
      // Default names in a folder ezh makes: 0600 in 0700.
      const made = await renderJournal(app, { renderer, className: '5А', period: '1 четверть' });
      expect(mode(made)).toBe(0o600);
      expect(mode(`${made}.sha256`)).toBe(0o600);
      expect(mode(join(dir, 'documents'))).toBe(0o700);
    } finally {
      await renderer.close();
    }
  }, 120_000);

  it('an alert written by the file channel: 0600 in a folder made 0700', async () => {
    const alerts = join(dir, 'alerts', 'out');
    const channel = createFileChannel(alerts, 'ezh@school.example');
    try {
      const sent = await channel.send({
        to: 'teacher@school.example',
        recipientName: 'Иванова Мария Петровна',
        subject: 'Просроченные записи в журнале 5А',
        text: 'Иванов Пётр: нет отметки',
        html: null,
        messageId: '<m1@ezh>',
        fileStem: '2026-10-25_100_teacher_abcdef12',
        attachments: [],
        payload: {},
      });
      expect(mode(sent.path!)).toBe(0o600);
      expect(mode(alerts)).toBe(0o700);
      expect(mode(join(dir, 'alerts'))).toBe(0o700);
    } finally {
      await channel.close();
    }
  });
});
