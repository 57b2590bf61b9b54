import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../src/app/context.js';
import { sendSubscribedReports } from '../../src/app/alerts-service.js';
import { sendScheduledDocumentJob } from '../../src/app/document-jobs.js';
import { desiredSchedules } from '../../src/jobs/schedules.js';
import { upsertRecords } from '../../src/mirror/mirror-writer.js';
import { createLogger } from '../../src/platform/logger.js';
import { at, EARLY, JournalBuilder, SOURCE } from '../fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const SCHOOL = '960000';
const ADMIN = 'zavuch@school9.example.ru';
const CT5 = 'ivanova@school9.example.ru';
const CT6 = 'sidorov@school9.example.ru';
const SUBJECT_TEACHER = 'petrov@school9.example.ru';

/**
 * The class teacher's weekly sheet by e-mail (issue 21, 004 §2.2): a `weekly` subscription makes
 * one sheet per class and mails it to that class's class teacher (and to the administration the
 * subscription lists), never to another class's teacher or a subject teacher. Real rendering
 * (Chromium) and a real SMTP server; the attachments read back with pdftotext.
 */
describe('the weekly sheets reach each class teacher, their own class only (sqlite, real SMTP)', () => {
  let m: TestMirror;
  let smtp: TestSmtpServer;
  let app: AppContext;
  let dir: string;
  // Monday 21.09.2026 07:00, the default schedule: the week 14–20.09 just ended.
  const fired = at('2026-09-21T07:00:00');

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    smtp = await startSmtpServer();
    dir = mkdtempSync(join(tmpdir(), 'ezh-weekly-mail-'));
    const b = new JournalBuilder(SCHOOL);
    b.school('Europe/Moscow');
    const math = b.subject('Математика');
    const ct5 = b.teacher('Иванова Анна Петровна');
    const ct6 = b.teacher('Сидоров Олег Игоревич');
    const subjectTeacher = b.teacher('Петров Пётр Петрович');
    const classes: [string, number, string, string][] = [
      ['5А', 5, ct5, 'Андреев Антон'],
      ['6Б', 6, ct6, 'Борисова Бэлла'],
    ];
    const ids: string[] = [];
    for (const [name, grade, , student] of classes) {
      const cls = b.klass(name, grade);
      ids.push(cls);
      b.period(cls);
      const s = b.student(cls, student);
      const l = b.lesson(cls, math, '2026-09-16', { teacherId: subjectTeacher });
      b.mark(l, cls, s, '5');
    }
    // A first-grader's class: no marks, no sheet.
    b.period(b.klass('1В', 1));
    await b.write(m.db);
    await m.db.transaction((tx) =>
      upsertRecords(
        tx,
        'teacherAssignments',
        [
          ...classes.map(([, , teacher], i) => ({
            id: `${ids[i]}:class:${teacher}:class_teacher`,
            classId: ids[i]!,
            subjectId: null,
            teacherId: teacher,
            role: 'class_teacher' as const,
          })),
          ...ids.map((cls) => ({
            id: `${cls}:${math}:${subjectTeacher}:subject`,
            classId: cls,
            subjectId: math,
            teacherId: subjectTeacher,
            role: 'subject' as const,
          })),
        ],
        {
          source: SOURCE,
          schoolId: SCHOOL,
          zone: 'Europe/Moscow',
          observedAt: EARLY,
          syncRunId: null,
        },
      ),
    );
    const config = join(dir, 'ezh.yaml');
    writeFileSync(config, 'log:\n  level: silent\n');
    app = createAppContext({
      configFile: config,
      overrides: {
        database: m.database,
        schools: [{ id: SCHOOL, timeZone: 'Europe/Moscow' }],
        outDir: dir,
        alerts: {
          enabled: true,
          smtp: {
            host: '127.0.0.1',
            port: smtp.port,
            starttls: 'off',
            from: 'ezh@school9.example.ru',
          },
          subscriptions: [{ document: 'weekly', to: [ADMIN] }],
          recipients: { [ct5]: CT5, [ct6]: CT6, [subjectTeacher]: SUBJECT_TEACHER },
        },
      },
      clock: { now: () => fired },
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await m?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is scheduled on Mondays at 07:00 when subscribed, without a schedule of its own', () => {
    const weekly = desiredSchedules(app.config, () => 'Europe/Moscow').flatMap((s) =>
      s.job.name === 'alerts.document' && s.job.payload.document === 'weekly' ? [s.pattern] : [],
    );
    expect(weekly).toEqual(['0 7 * * 1']);
  });

  it("refuses one given file as every class teacher's sheet (ezh alerts reports --kind weekly --file)", async () => {
    const file = join(dir, 'some-class.pdf');
    writeFileSync(file, '%PDF-1.4 one class only');
    await expect(
      sendSubscribedReports(app, { kind: 'weekly', asOf: fired, file, dryRun: false }),
    ).rejects.toThrow(/one edition per class/);
    expect(smtp.received).toHaveLength(0);
  });

  it("mails each class's sheet to its class teacher and the administration, once", async () => {
    const deps = {
      db: (await app.mirror()).db,
      logger: createLogger({ level: 'silent', pretty: false }),
      clock: app.clock,
    };
    const request = { schoolId: SCHOOL, document: 'weekly', asOf: fired, from: null };
    const result = await sendScheduledDocumentJob(app, deps, request);
    expect(result).toMatchObject({ sent: 4, failed: 0 });

    const letters = smtp.received.map((r) => ({
      to: r.to.join(','),
      subject: r.mail.subject,
      files: r.mail.attachments.map((a) => a.filename),
      text: r.mail.attachments.map((a) => pdfText(a.content)).join('\n'),
      body: r.mail.text,
    }));
    const to = (addr: string) => letters.filter((l) => l.to === addr);
    // The class teachers: their own class's sheet only.
    expect(to(CT5).map((l) => [l.subject, l.files])).toEqual([
      [
        'Сводная ведомость класса 5А за неделю 14.09.2026 — 20.09.2026',
        [`weekly-${SCHOOL}-5А-2026-09-14.pdf`],
      ],
    ]);
    expect(to(CT5)[0]!.text).toContain('Андреев Антон');
    expect(to(CT5)[0]!.text).not.toContain('Борисова');
    expect(to(CT6).map((l) => l.files)).toEqual([[`weekly-${SCHOOL}-6Б-2026-09-14.pdf`]]);
    expect(to(CT6)[0]!.text).toContain('Борисова Бэлла');
    expect(to(CT6)[0]!.text).not.toContain('Андреев');
    // The administration: every class's; a subject teacher of both classes: none; grade 1: none.
    expect(to(ADMIN).map((l) => l.files[0])).toEqual([
      `weekly-${SCHOOL}-5А-2026-09-14.pdf`,
      `weekly-${SCHOOL}-6Б-2026-09-14.pdf`,
    ]);
    expect(to(SUBJECT_TEACHER)).toEqual([]);
    expect(letters).toHaveLength(4);
    // A short Russian letter: the greeting by name and what is attached.
    expect(to(CT5)[0]!.body).toContain('Здравствуйте, Анна Петровна!');
    expect(to(CT5)[0]!.body).toContain('Во вложении: Сводная ведомость класса 5А за неделю');

    // Once per edition: the same occurrence again sends nothing.
    const again = await sendScheduledDocumentJob(app, deps, request);
    expect(again).toMatchObject({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(4);
  }, 240_000);
});

function pdfText(content: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: content, encoding: 'utf8' });
}
