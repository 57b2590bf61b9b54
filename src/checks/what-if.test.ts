import { systemClock } from '../platform/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder, ZONE } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import type { AppContext } from '../app/context.js';
import { configSchema } from '../config/schema.js';
import { lastCheckRuns } from '../metrics/mirror-figures.js';
import { createLogger } from '../platform/logger.js';
import { loadAudit } from '../reports/data/audit.js';
import { renderAuditHtml } from '../reports/html/audit-html.js';
import { formatFindingsTable } from './format-table.js';
import { checksAsOf, runChecksForApp } from '../app/checks-service.js';
import { listRuns } from './history.js';

/**
 * `ezh check --as-of` at an instant other than the mirror's present (the end of the last
 * successful sync) is a what-if run: it prints its findings and says what the mirror cannot know
 * then, but never opens or resolves a finding, so the compliance note made from the history
 * stays true (issue 23, items 8 and 9).
 */
describe.each(ENGINES)('what-if check runs on %s', (engine) => {
  let m: TestMirror;
  const school = '882001';
  const b = new JournalBuilder(school);
  b.school('UTC+3');
  const cls = b.klass('7В', 7);
  const subject = b.subject('Физика');
  const teacher = b.teacher('Орлова Мария Петровна');
  const past = ['2026-10-12', '2026-10-13', '2026-10-14'].map((d) =>
    b.lesson(cls, subject, d, { teacherId: teacher, topic: null }),
  );
  // Dated after the last sync: a finding only as of an instant after its deadline.
  const later = b.lesson(cls, subject, '2026-12-01', { teacherId: teacher, topic: null });
  const FIRST_SYNC = at('2026-09-01T08:00:00');
  const LAST_SYNC = at('2026-10-20T09:00:00');
  const NOW = at('2026-10-21T10:00:00');
  let app: AppContext;
  const clock = { now: () => NOW };
  const check = async (asOf?: string, only = school) =>
    runChecksForApp(app, {
      asOf: await checksAsOf(app, asOf, only, clock),
      school: only,
      rules: ['topic-missing'],
      clock,
    });
  // A school the mirror lists but never synced (a first sync that wrote nothing yet).
  const unsynced = '882002';
  const u = new JournalBuilder(unsynced);
  u.school('UTC+3', 'Школа № 2');
  const openFindings = async () =>
    (
      await m.db.query<{ lesson_id: string }>(
        `SELECT lesson_id FROM findings WHERE school_id = ? AND resolved_at IS NULL ORDER BY lesson_id`,
        [school],
      )
    ).map((r) => r.lesson_id);

  beforeAll(async () => {
    m = await createTestMirror(engine);
    await b.write(m.db);
    await u.write(m.db);
    for (const [id, status, started, finished] of [
      ['s1', 'succeeded', FIRST_SYNC, at('2026-09-01T09:00:00')],
      ['s2', 'succeeded', at('2026-10-20T08:00:00'), LAST_SYNC],
      ['s3', 'failed', at('2026-10-21T08:00:00'), at('2026-10-21T08:01:00')],
    ] as const) {
      await m.db.run(
        `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
         VALUES (?, ?, 'dnevnik', 'incremental', ?, ?, ?, 1, ?)`,
        [id, school, status, started, finished, status === 'succeeded' ? 1 : 0],
      );
    }
    const config = configSchema.parse({
      schools: [
        { id: school, timeZone: ZONE },
        { id: unsynced, timeZone: ZONE },
      ],
    });
    app = {
      config,
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

  it('a check as of 2030 first prints its findings, stores a what-if run and opens nothing', async () => {
    const { report, runs } = await check('2030-01-01T12:00:00');
    expect(report.findings.map((f) => f.lesson).sort()).toEqual([...past, later].sort());
    expect(runs[0]!.kind).toBe('what-if');
    expect(await openFindings()).toEqual([]);
    // Nor is it the latest check run that `ezh status` and the metrics show.
    expect((await lastCheckRuns(m.db)).filter((r) => r.school === school)).toEqual([]);
    const rows = await m.db.query<{ kind: string; status: string; finding_count: number }>(
      `SELECT kind, status, finding_count FROM check_runs WHERE id = ?`,
      [runs[0]!.runId],
    );
    expect(rows.map((r) => ({ ...r, finding_count: Number(r.finding_count) }))).toEqual([
      { kind: 'what-if', status: 'succeeded', finding_count: 4 },
    ]);
    expect(report.evidence).toEqual([
      expect.objectContaining({
        school,
        run: 'what-if',
        firstSync: new Date(FIRST_SYNC).toISOString(),
        lastSync: new Date(LAST_SYNC).toISOString(),
        warnings: [expect.objectContaining({ code: 'in-the-future' })],
      }),
    ]);
    expect(report.evidence[0]!.warnings[0]!.message).toContain(
      `data only up to the last successful sync (${new Date(LAST_SYNC).toISOString()})`,
    );
    const table = formatFindingsTable(runs);
    expect(table).toContain('note: a what-if run');
    expect(table).toContain('warning: as of 2030-01-01T09:00:00.000Z is in the future');
    expect(table).not.toContain('новых');
  });

  it('the plain check after it is as of the last sync, current, and opens what it finds', async () => {
    const { report, runs } = await check();
    expect(report.asOf).toBe(new Date(LAST_SYNC).toISOString());
    expect(runs[0]).toMatchObject({ kind: 'current', newCount: 3, resolvedCount: 0 });
    expect(report.evidence[0]).toMatchObject({ run: 'current', warnings: [] });
    expect(await openFindings()).toEqual([...past].sort());
  });

  it('a check as of before the first sync answers from the platform, says so, and resolves nothing', async () => {
    // The lessons are dated in October: none had been held by mid-August.
    const { report, runs } = await check('2026-08-15T12:00:00');
    expect(report.findings).toEqual([]);
    expect(runs[0]).toMatchObject({ kind: 'what-if', newCount: 0, resolvedCount: 0 });
    expect(report.evidence[0]!.warnings.map((w) => w.code)).toEqual(['before-first-sync']);
    expect(report.evidence[0]!.warnings[0]!.message).toMatch(
      /before the mirror's first sync .*: its own history does not reach then, so each rule answered from the platform's own timestamps/,
    );
    expect(report.evidence[0]).toMatchObject({ history: 'platform' });
    expect(await openFindings()).toEqual([...past].sort());
  });

  it('an explicit as-of after the last sync (the wall clock now) is a what-if run too', async () => {
    const { runs, report } = await check(new Date(NOW).toISOString());
    expect(runs[0]!.kind).toBe('what-if');
    expect(report.evidence[0]!.warnings.map((w) => w.code)).toEqual(['after-last-sync']);
    // An explicit as-of equal to the mirror's present is the present.
    const same = await check(new Date(LAST_SYNC).toISOString());
    expect(same.runs[0]).toMatchObject({ kind: 'current', newCount: 0, resolvedCount: 0 });
  });

  it('the next plain check reopens nothing and resolves nothing; the history holds current runs only', async () => {
    const { runs } = await check();
    expect(runs[0]).toMatchObject({ kind: 'current', newCount: 0, resolvedCount: 0 });
    const events = await m.db.query<{ kind: string; n: number }>(
      `SELECT kind, count(*) AS n FROM finding_events WHERE school_id = ? GROUP BY kind`,
      [school],
    );
    expect(events.map((e) => [e.kind, Number(e.n)])).toEqual([['opened', 3]]);
    const history = await listRuns(m.db, school);
    expect(history.map((r) => r.asOf)).toEqual([LAST_SYNC, LAST_SYNC, LAST_SYNC]);
    const [latest] = (await lastCheckRuns(m.db)).filter((r) => r.school === school);
    expect(latest).toMatchObject({ status: 'succeeded', findings: 3 });
  });

  it('the compliance note reads the current runs: the 3 findings, not «нарушений не выявлено»', async () => {
    const info = { id: school, name: 'Школа', zone: ZONE, director: null, deputyDirector: null };
    const data = await loadAudit(m.db, info, NOW);
    expect(data.findings).toHaveLength(3);
    const html = renderAuditHtml(data).html;
    expect(html).not.toContain('Нарушений порядка ведения электронного журнала не выявлено');
    expect(html).toContain('Выявлено нарушений за срок проверки: 3');
  });

  const info = (id = school) => ({
    id,
    name: 'Школа',
    zone: ZONE,
    director: null,
    deputyDirector: null,
  });

  it('the note states that its data end at the last successful sync', async () => {
    const html = renderAuditHtml(await loadAudit(m.db, info(), NOW, NOW)).html;
    expect(html).toContain(
      'Данные зеркала — по состоянию на последнюю успешную синхронизацию (20.10.2026 09:00); записи, внесённые в журнал после неё, в справке не учтены.',
    );
  });

  it("a note dated before the first sync says it answers from the platform's timestamps", async () => {
    const data = await loadAudit(m.db, info(), at('2026-08-15T12:00:00'), NOW);
    expect(data.evidence.warnings).toEqual(['before-first-sync']);
    expect(renderAuditHtml(data).html).toContain(
      'Дата справки (15.08.2026 12:00) раньше первой синхронизации зеркала (01.09.2026 08:00): история зеркала её не охватывает, поэтому сведения восстановлены по отметкам времени, которые хранит сама платформа',
    );
  });

  it('a note dated in the future says so', async () => {
    const data = await loadAudit(m.db, info(), at('2030-01-01T12:00:00'), NOW);
    expect(data.evidence.warnings).toEqual(['in-the-future']);
    expect(renderAuditHtml(data).html).toContain(
      'Дата справки (01.01.2030 12:00) ещё не наступила',
    );
  });

  it('a school never synced: the check warns, the note does not say «не выявлено»', async () => {
    const { report, runs } = await check(undefined, unsynced);
    expect(runs[0]).toMatchObject({ kind: 'current', findings: [] });
    expect(report.evidence[0]!.warnings.map((w) => w.code)).toEqual(['never-synced']);
    const html = renderAuditHtml(await loadAudit(m.db, info(unsynced), NOW, NOW)).html;
    expect(html).not.toContain('Нарушений порядка ведения электронного журнала не выявлено');
    expect(html).toContain('Отсутствие нарушений не подтверждено');
    expect(html).toContain('ещё ни разу не было полностью синхронизировано');
  });
});
