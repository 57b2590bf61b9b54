import { systemClock } from '../../src/platform/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksAsOf, runChecksForApp } from '../../src/app/checks-service.js';
import type { App } from '../../src/cli/app.js';
import { configSchema } from '../../src/config/schema.js';
import { jobRegistry } from '../../src/jobs/host.js';
import { classifyJobError } from '../../src/jobs/job-errors.js';
import type { JobRegistry } from '../../src/jobs/registry.js';
import { manualAsOf, manualJobs } from '../../src/jobs/run-now.js';
import { UsageError } from '../../src/platform/errors.js';
import { createLogger } from '../../src/platform/logger.js';
import { localToInstant } from '../../src/platform/time.js';
import { loadAudit } from '../../src/reports/data/audit.js';
import { resolveSchool } from '../../src/reports/data/school.js';
import { renderAuditHtml } from '../../src/reports/html/audit-html.js';
import { JournalBuilder } from '../fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

/**
 * One SchoolContext for every door (issue 17 item 7, issue 18): a school configured with only
 * its id takes its zone from the platform (mirrored by the first sync), a zone in the config wins
 * over the platform's, a school with neither is refused with a clear exit 2, and a check run from
 * a job gives what `ezh check` gives at the same as-of.
 */
describe('the school context: zone from the config, else the platform; the same for every door', () => {
  let m: TestMirror;
  const MOSCOW = '880001';
  const EKB = '880002'; // the platform says UTC+5 (Dnevnik School.timeZone = 5)
  const NEVER_SYNCED = '880003';
  const a = new JournalBuilder(MOSCOW);
  a.school('UTC+3', 'Школа № 1');
  const b = new JournalBuilder(EKB, 'UTC+5');
  b.school('UTC+5', 'Школа № 2 г. Екатеринбурга');
  const cls = b.klass('7В', 7);
  const subject = b.subject('Физика');
  const teacher = b.teacher('Орлова Мария Петровна');
  const lesson = b.lesson(cls, subject, '2026-10-12', { teacherId: teacher, topic: null });
  /** 19:30 UTC: already 21 October in UTC+5, still 20 October in Moscow. */
  const LAST_SYNC = Date.parse('2026-10-20T19:30:00Z');
  const NOW = Date.parse('2026-10-21T06:00:00Z');
  const logger = createLogger({ level: 'silent', pretty: false });

  const appWith = (schools: unknown[]): App =>
    ({
      config: configSchema.parse({ schools }),
      configSource: null,
      clock: systemClock,
      logger,
      mirror: async () => m,
      close: async () => undefined,
    }) as App;
  const clock = { now: () => NOW };
  /** As `ezh check` does: the door reads `--as-of` (checksAsOf), the service takes the instant. */
  const check = async (app: App, opts: { school?: string; asOf?: string } = {}) =>
    runChecksForApp(app, {
      rules: ['topic-missing'],
      clock,
      school: opts.school,
      asOf: await checksAsOf(app, opts.asOf, opts.school, clock),
    });

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await a.write(m.db);
    await b.write(m.db);
    for (const school of [MOSCOW, EKB]) {
      await m.db.run(
        `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
         VALUES (?, ?, 'dnevnik', 'full', 'succeeded', ?, ?, 1, 1)`,
        [`s-${school}`, school, LAST_SYNC - 3_600_000, LAST_SYNC],
      );
    }
  });
  afterAll(async () => m?.dispose());

  it('a school configured only by id gets deadlines and document dates in its platform zone (UTC+5)', async () => {
    const app = appWith([{ id: EKB }]);
    const { report } = await check(app);
    // «lesson day + 1, 12:00 school time»: 13 October 12:00 in UTC+5 is 07:00 UTC.
    expect(report.findings.map((f) => [f.lesson, f.deadline])).toEqual([
      [lesson, '2026-10-13T07:00:00.000Z'],
    ]);
    const school = await resolveSchool(m.db, app.config);
    expect(school).toMatchObject({ id: EKB, name: 'Школа № 2 г. Екатеринбурга', zone: 'UTC+5' });
    const { html } = renderAuditHtml(await loadAudit(m.db, school, LAST_SYNC));
    expect(html).toContain('21.10.2026 00:30');
    expect(html).not.toContain('20.10.2026 22:30');
    // A local --as-of is read in UTC+5: 11:30 there is before the 12:00 deadline.
    const early = await check(app, { asOf: '2026-10-13T11:30' });
    expect(early.report.asOf).toBe('2026-10-13T06:30:00.000Z');
    expect(early.report.findings).toEqual([]);
  });

  it("the config's zone wins over the platform's", async () => {
    const app = appWith([{ id: EKB, timeZone: 'Europe/Moscow' }]);
    const school = await resolveSchool(m.db, app.config);
    expect(school.zone).toBe('Europe/Moscow');
    const { html } = renderAuditHtml(await loadAudit(m.db, school, LAST_SYNC));
    expect(html).toContain('20.10.2026 22:30');
    // 11:30 in Moscow is 13:30 in UTC+5: past the deadline the rows were written with.
    const late = await check(app, { asOf: '2026-10-13T11:30' });
    expect(late.report.asOf).toBe('2026-10-13T08:30:00.000Z');
    expect(late.report.findings.map((f) => f.lesson)).toEqual([lesson]);
  });

  it('a school whose zone neither the config nor the platform gives is refused, saying how to fix it', async () => {
    const app = appWith([{ id: NEVER_SYNCED }]);
    const err = await check(app).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toBe(`the time zone of school ${NEVER_SYNCED} is unknown`);
    // As a job (checks.run, alerts.send …): failed at once, not retried five times.
    expect(classifyJobError(err)).toEqual({ kind: 'permanent' });
    expect((err as UsageError).problems.join('\n')).toMatch(
      /run `ezh sync` first, or set schools\[\]\.timeZone/,
    );
  });

  it('several schools and no --school: a document names none silently, it asks which', async () => {
    const app = appWith([{ id: MOSCOW, timeZone: 'Europe/Moscow' }, { id: EKB }]);
    const err = await resolveSchool(m.db, app.config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).problems).toEqual([
      `${MOSCOW} Школа № 1`,
      `${EKB} Школа № 2 г. Екатеринбурга`,
    ]);
  });

  describe('a check run from a job and `ezh check` agree', () => {
    // Moscow first: the job door used to read every local --as-of in the first school's zone.
    let app: App;
    let registry: JobRegistry;
    beforeAll(() => {
      app = appWith([{ id: MOSCOW, timeZone: 'Europe/Moscow' }, { id: EKB }]);
      registry = jobRegistry(app);
    });
    /** `ezh jobs run checks [--as-of]` → the queued payload → the worker's `checks.run` handler. */
    const viaJob = async (asOf?: string) => {
      const payloadAsOf = await manualAsOf(m.db, app.config, asOf, EKB);
      const [spec] = manualJobs(app.config, 'checks', { school: EKB, asOf: payloadAsOf }, NOW);
      expect(spec!.name).toBe('checks.run');
      const [run] = (await registry.run('checks.run', spec!.payload, {
        deps: { db: m.db, clock: { now: () => NOW } } as never,
        jobId: spec!.id,
        logger,
        signal: new AbortController().signal,
        spawn: async () => undefined,
      })) as { runId: string; kind: string; findings: number }[];
      const [row] = await m.db.query<{ as_of: number }>(
        'SELECT as_of FROM check_runs WHERE id = ?',
        [run!.runId],
      );
      return { asOf: Number(row!.as_of), kind: run!.kind, findings: run!.findings };
    };
    const viaCli = async (asOf?: string) => {
      // Every enabled rule, as the job runs them.
      const clock = { now: () => NOW };
      const { runs } = await runChecksForApp(app, {
        school: EKB,
        asOf: await checksAsOf(app, asOf, EKB, clock),
        clock,
      });
      return { asOf: runs[0]!.asOf, kind: runs[0]!.kind, findings: runs[0]!.findings.length };
    };

    it('without --as-of: both as of the last successful sync (a current run), with the same findings', async () => {
      const cli = await viaCli();
      expect(cli).toMatchObject({ asOf: LAST_SYNC, kind: 'current' });
      expect(cli.findings).toBeGreaterThan(0);
      expect(await viaJob()).toEqual(cli);
    });

    it("a local --as-of: both read it in the school's zone (UTC+5), so both find the same", async () => {
      // 11:30 in UTC+5, before the 12:00 deadline of 13 October: no finding yet.
      const local = '2026-10-13T11:30';
      const cli = await viaCli(local);
      expect(cli).toMatchObject({
        asOf: localToInstant('2026-10-13T11:30:00', 'UTC+5'),
        kind: 'what-if',
      });
      expect(await viaJob(local)).toEqual(cli);
    });

    it('the follow-up check a sync queues (no as-of, hours after the sync) is clamped to it like `ezh check`', async () => {
      // What sync.finish queues: { schoolId, syncRunId }; the worker's clock is hours past the sync.
      const [run] = (await registry.run(
        'checks.run',
        { schoolId: EKB, syncRunId: `s-${EKB}` },
        {
          deps: { db: m.db, clock: { now: () => NOW } } as never,
          jobId: `s-${EKB}.checks-run`,
          logger,
          signal: new AbortController().signal,
          spawn: async () => undefined,
        },
      )) as { runId: string; kind: string; findings: number }[];
      const [row] = await m.db.query<{ as_of: number }>(
        'SELECT as_of FROM check_runs WHERE id = ?',
        [run!.runId],
      );
      expect({ asOf: Number(row!.as_of), kind: run!.kind, findings: run!.findings }).toEqual(
        await viaCli(),
      );
      expect(Number(row!.as_of)).toBe(LAST_SYNC);
    });

    it('an as-of given as the instant of the last sync: a current run through both doors', async () => {
      const iso = new Date(LAST_SYNC).toISOString();
      const cli = await viaCli(iso);
      expect(cli).toMatchObject({ asOf: LAST_SYNC, kind: 'current' });
      expect(await viaJob(iso)).toEqual(cli);
    });

    it('a payload the job cannot read fails it at once with the field named, not deep inside', async () => {
      const err = await registry
        .run(
          'checks.run',
          { schoolId: EKB, asOf: '2026-10-13' },
          {
            deps: { db: m.db, clock: { now: () => NOW } } as never,
            jobId: 'bad',
            logger,
            signal: new AbortController().signal,
            spawn: async () => undefined,
          },
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toBe('job "checks.run": invalid payload');
      expect((err as UsageError).problems).toEqual([expect.stringMatching(/^asOf: .*number/)]);
      expect(classifyJobError(err)).toEqual({ kind: 'permanent' });
    });
  });
});
