import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { UsageError } from '../platform/errors.js';
import { checksAsOf, runChecksForApp } from './checks-service.js';
import { createAppContext, type AppContext } from './context.js';

/**
 * The checks service as the doors use it: the door reads `--as-of` (checksAsOf), the service takes
 * the instant (a job's payload carries the number) and clamps "now" to the last successful sync.
 */
describe('checks service', () => {
  let m: TestMirror;
  let two: AppContext;
  let one: AppContext;
  const MSK = '930001';
  const EKB = '930002';
  const LAST_SYNC = at('2026-10-20T09:00:00');
  const NOW = at('2026-10-21T10:00:00');
  const clock = { now: () => NOW };
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    const msk = new JournalBuilder(MSK);
    msk.school('Europe/Moscow');
    const cls = msk.klass('5А', 5);
    const subject = msk.subject('Математика');
    const teacher = msk.teacher('Петрова Анна Ивановна');
    msk.lesson(cls, subject, '2026-10-12', { topic: null, teacherId: teacher });
    await msk.write(m.db);
    const ekb = new JournalBuilder(EKB);
    ekb.school('Asia/Yekaterinburg', 'Школа № 2');
    await ekb.write(m.db);
    await m.db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
       VALUES ('s1', ?, 'dnevnik', 'incremental', 'succeeded', ?, ?, 1, 1)`,
      [MSK, LAST_SYNC - 3_600_000, LAST_SYNC],
    );
    const logSilent = { log: { level: 'silent' } };
    two = createAppContext({
      overrides: { ...logSilent, database: m.database, schools: [{ id: MSK }, { id: EKB }] },
      clock,
    });
    one = createAppContext({
      overrides: { ...logSilent, database: m.database, schools: [{ id: MSK }] },
      clock,
    });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await m?.dispose();
  });

  const usage = async (p: Promise<unknown>) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  };

  it('reads a local --as-of in the zone of the school named, an instant with an offset as it is', async () => {
    expect(await checksAsOf(two, '2026-10-13T11:30', EKB)).toBe(Date.parse('2026-10-13T06:30:00Z'));
    expect(await checksAsOf(two, '2026-10-13T11:30', MSK)).toBe(Date.parse('2026-10-13T08:30:00Z'));
    expect(await checksAsOf(two, '2026-10-13T11:30:00+05:00', undefined)).toBe(
      Date.parse('2026-10-13T06:30:00Z'),
    );
    expect(await checksAsOf(two, undefined, undefined)).toBeUndefined();
  });

  it('a bad --as-of is exit 2 saying so, before anything asks which zone', async () => {
    const err = await usage(checksAsOf(two, 'yesterday at noon', undefined));
    expect(err.message).toBe('bad --as-of');
  });

  it('a local time over schools in different zones is exit 2 naming them, never the first school’s zone', async () => {
    const err = await usage(checksAsOf(two, '2026-10-13T11:30', undefined));
    expect(err.message).toMatch(/different time zones/);
    expect(err.problems.join('\n')).toContain(`${EKB}: Asia/Yekaterinburg`);
  });

  it('without an as-of, checks as of the last successful sync (a current run); a given instant is a what-if', async () => {
    const current = await runChecksForApp(one, { rules: ['topic-missing'], clock });
    expect(current.runs.map((r) => [r.asOf, r.kind])).toEqual([[LAST_SYNC, 'current']]);
    expect(current.report.findings.map((f) => f.rule)).toEqual(['topic-missing']);
    const whatIf = await runChecksForApp(one, {
      rules: ['topic-missing'],
      clock,
      asOf: at('2026-10-13T11:30:00'),
    });
    expect(whatIf.runs.map((r) => [r.asOf, r.kind])).toEqual([
      [at('2026-10-13T11:30:00'), 'what-if'],
    ]);
    // 13.10 11:30, before the 12:00 deadline of the lesson of 12.10: nothing yet.
    expect(whatIf.report.findings).toEqual([]);
  });

  it('an unknown --school is exit 2 listing the schools', async () => {
    const err = await usage(runChecksForApp(two, { school: '999', clock }));
    expect(err.problems.join('\n')).toContain(MSK);
  });
});
