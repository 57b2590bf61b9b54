import { systemClock } from '../platform/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder, ZONE } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import type { AppContext } from '../app/context.js';
import { configSchema } from '../config/schema.js';
import { createLogger } from '../platform/logger.js';
import { auditData } from '../reports/documents/audit.js';
import { renderAuditHtml } from '../reports/html/audit-html.js';
import { formatFindingsTable } from './format-table.js';
import { checksAsOf, runChecksForApp } from '../app/checks-service.js';

/**
 * Issue 17 item 6: a mirror first synced in November, asked about October. Its own history does
 * not reach then; the check answers from the platform's timestamps (a mark's entry moment, a
 * lesson's day), takes the topic as it is now (missing now: missing then), and says so, in the
 * CLI output, its JSON and the справка.
 */
describe.each(ENGINES)('a check as of before the first sync on %s', (engine) => {
  let m: TestMirror;
  let app: AppContext;
  const school = '883001';
  const SYNCED = at('2026-11-02T09:00:00');
  const b = new JournalBuilder(school);
  b.school('UTC+3');
  const cls = b.klass('8А', 8);
  const subject = b.subject('Химия');
  const teacher = b.teacher('Зайцева Ольга Игоревна');
  const student = b.student(cls, 'Смирнов Илья');
  const seen = { seenAt: SYNCED };
  // Monday 05.10 without a topic; Tuesday 06.10 with one (filled in when? the platform says not).
  const bare = b.lesson(cls, subject, '2026-10-05', { teacherId: teacher, topic: null, ...seen });
  const kept = b.lesson(cls, subject, '2026-10-06', {
    teacherId: teacher,
    topic: 'Оксиды',
    ...seen,
  });
  // Monday's mark entered Thursday (deadline Tuesday 12:00): late, by the platform's Mark.date.
  const late = b.mark(bare, cls, student, '4', { enteredAt: '2026-10-08T07:30:00.123', ...seen });
  // Tuesday's mark entered on time; and one without an entry moment, never claimed late.
  b.mark(kept, cls, student, '5', { enteredAt: '2026-10-06T10:00:00', ...seen });
  b.mark(kept, cls, b.student(cls, 'Орлов Пётр'), '3', seen);
  const RULES = ['topic-missing', 'mark-late'];
  const NOW = at('2026-11-03T10:00:00');
  const clock = { now: () => NOW };
  const check = async (asOf: string) =>
    runChecksForApp(app, {
      asOf: await checksAsOf(app, asOf, school, clock),
      school,
      rules: RULES,
      clock,
    });
  const info = { id: school, name: 'Школа', zone: ZONE, director: null, deputyDirector: null };

  beforeAll(async () => {
    m = await createTestMirror(engine);
    await b.write(m.db);
    await m.db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
       VALUES ('first', ?, 'dnevnik', 'full', 'succeeded', ?, ?, 1, 1)`,
      [school, at('2026-11-02T08:00:00'), at('2026-11-02T09:30:00')],
    );
    app = {
      config: configSchema.parse({ schools: [{ id: school, timeZone: ZONE }] }),
      configSource: null,
      clock: systemClock,
      logger: createLogger({ level: 'silent', pretty: false }),
      mirror: async () => m,
      close: async () => undefined,
    };
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('finds what the platform dates: the missing topic, and the late mark only once it was entered', async () => {
    const before = await check('2026-10-07T12:00:00');
    expect(before.report.findings.map((f) => [f.rule, f.lesson])).toEqual([
      ['topic-missing', bare],
    ]);
    const after = await check('2026-10-09T12:00:00');
    expect(after.report.findings.map((f) => [f.rule, f.lesson ?? f.student]).sort()).toEqual(
      [
        ['mark-late', bare],
        ['topic-missing', bare],
      ].sort(),
    );
    expect(after.runs[0]!.findings.find((f) => f.rule === 'mark-late')?.keyParts.mark).toBe(late);
    expect(after.runs[0]).toMatchObject({
      kind: 'what-if',
      newCount: 0,
      resolvedCount: 0,
      // Entry moments come from the platform, not from when a sync first saw the marks.
      entryTimePrecision: 'platform',
    });
  });

  it('says which evidence it used, in the JSON and in the table', async () => {
    const { report, runs } = await check('2026-10-09T12:00:00');
    const evidence = report.evidence[0]!;
    expect(evidence.history).toBe('platform');
    expect(evidence.warnings.map((w) => w.code)).toEqual(['before-first-sync']);
    expect(evidence.warnings[0]!.message).toContain("answered from the platform's own timestamps");
    expect(evidence.rules.map((r) => r.rule)).toEqual(RULES);
    expect(evidence.rules.find((r) => r.rule === 'mark-late')!.evidence).toContain(
      'entry moment (Mark.date)',
    );
    const table = formatFindingsTable(runs);
    expect(table).toContain(
      "evidence: as of before the mirror's first sync, from the platform's own timestamps; per rule:",
    );
    expect(table).toMatch(/ {2}topic-missing: the lesson by its date; the topic as it is now/);
    // After the first sync, the mirror's history answers and no per-rule evidence is listed.
    const current = await check('2026-11-02T09:30:00');
    expect(current.report.evidence[0]).toMatchObject({ history: 'mirror', rules: [] });
  });

  it('the справка dated in October lists the violations and the evidence of each criterion', async () => {
    const stored = () =>
      m.db.query(`SELECT id FROM check_runs WHERE school_id = ? ORDER BY id`, [school]);
    const runsBefore = await stored();
    const data = await auditData(app, info, at('2026-10-09T12:00:00'), NOW);
    // Every rule: both lessons also lack homework.
    expect(data.findings.map((f) => f.rule).sort()).toEqual([
      'homework-missing',
      'homework-missing',
      'mark-late',
      'topic-missing',
    ]);
    const html = renderAuditHtml(data).html;
    expect(html).toContain('Выявлено нарушений за срок проверки: 4,');
    expect(html).toContain('Источник сведений.');
    expect(html).toContain('время внесения — по данным платформы');
    expect(html).toContain(
      'сведения восстановлены по отметкам времени, которые хранит сама платформа',
    );
    expect(html).toContain('момент внесения отметки, записанный платформой (Mark.date)');
    expect(html).toContain('тема — как сейчас: отсутствующая сейчас отсутствовала и тогда');
    expect(html).not.toContain('недостоверны');
    // Evaluated for the note, stored nowhere: no run (and so no finding) was added.
    expect(await stored()).toEqual(runsBefore);
  });
});
