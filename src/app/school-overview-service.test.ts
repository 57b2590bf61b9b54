import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AS_OF,
  C5A,
  C6B,
  DAY,
  L5,
  SCHOOL,
  seedFindings,
  seedSchool,
  T_CT5,
  T_MATH,
  ZONE,
} from '../../test/integration/alerts-fixture.js';
import {
  createTestMirror,
  ENGINES,
  TEST_PG_URL,
  type TestMirror,
} from '../../test/helpers/mirrors.js';
import { ManualClock } from '../platform/clock.js';
import type { AccessScope } from './access-scope.js';
import { createAppContext, type AppContext } from './context.js';
import { SchoolOverviewService } from './school-overview-service.js';

/**
 * The web's read service over a hand-made school (test/integration/alerts-fixture.ts): 5А (with
 * its English subgroup) and 6Б, each with a class teacher, and a mathematics teacher in both;
 * students Козлов (5А) and Орлова (6Б). The checks' history: three findings opened ten days
 * before the as-of, four more two days before, one of the first resolved then.
 */
describe.each(ENGINES)('SchoolOverviewService on %s', (engine) => {
  let m: TestMirror;
  let app: AppContext;
  const admin: AccessScope = { kind: 'school', schoolIds: [SCHOOL] };
  const ct5: AccessScope = { kind: 'classes', schoolIds: [SCHOOL], classIds: [C5A] };
  const math: AccessScope = { kind: 'teacher', schoolIds: [SCHOOL], teacherId: T_MATH };
  const service = () => new SchoolOverviewService(app);

  beforeAll(async () => {
    m = await createTestMirror(engine);
    await seedSchool(m.db);
    await seedFindings(m.db);
    const run = async (id: string, at: number) =>
      m.db.run(
        `INSERT INTO check_runs (id, school_id, as_of, started_at, finished_at, status, rules, finding_count, new_count, resolved_count, entry_time_precision, kind)
         VALUES (?, ?, ?, ?, ?, 'succeeded', '{}', 0, 0, 0, 'platform', 'current')`,
        [id, SCHOOL, at, at, at],
      );
    const event = async (key: string, runId: string, kind: string, at: number) =>
      m.db.run(
        `INSERT INTO finding_events (finding_key, run_id, kind, school_id, rule, teacher_id, class_id, at)
         SELECT key, ?, ?, school_id, rule, teacher_id, class_id, ? FROM findings WHERE key = ?`,
        [runId, kind, at, key],
      );
    await run('run-1', AS_OF - 10 * DAY);
    await run('run-2', AS_OF - 2 * DAY);
    for (const k of ['f-att-5a', 'f-two-5a', 'f-resolved-5a']) {
      await event(k, 'run-1', 'opened', AS_OF - 10 * DAY);
    }
    for (const k of ['f-att-6b', 'f-topic-6b', 'f-early-5a', 'f-absent-5a-group']) {
      await event(k, 'run-2', 'opened', AS_OF - 2 * DAY);
    }
    await event('f-resolved-5a', 'run-2', 'resolved', AS_OF - 2 * DAY);
    app = createAppContext({
      overrides: { database: databaseOf(m), schools: [{ id: SCHOOL, timeZone: ZONE }] },
      clock: new ManualClock(AS_OF),
    });
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
  });

  it("a class teacher's scope returns their class and its subgroup, never another class", async () => {
    const s = service();
    const ids = (await s.findings(ct5)).map((f) => f.id).sort();
    expect(ids).toEqual(['f-absent-5a-group', 'f-att-5a', 'f-early-5a', 'f-two-5a']);
    // Asking for the other class by filter, by id or by page: nothing.
    expect(await s.findings(ct5, { classId: C6B })).toEqual([]);
    expect(await s.finding(ct5, 'f-att-6b')).toBeNull();
    expect(await s.klass(ct5, C6B)).toBeNull();
    expect((await s.classes(ct5)).map((c) => c.name)).toEqual(['5А']);
    expect(
      await s.act(ct5, 'f-topic-6b', 'acknowledge', { by: 'Иванова Анна Петровна' }),
    ).toBeNull();
    const everything = JSON.stringify([
      await s.findings(ct5, { states: 'all' }),
      await s.classes(ct5),
      await s.finding(ct5, 'f-att-5a'),
    ]);
    expect(everything).not.toContain('Орлова');
    expect(everything).not.toContain('6Б');
    // A class teacher of no class sees nothing (an empty filter must not mean "every class").
    expect(await s.findings({ kind: 'classes', schoolIds: [SCHOOL], classIds: [] })).toEqual([]);
    // Another school's scope sees nothing of this one.
    expect(await s.findings({ kind: 'school', schoolIds: ['999'] })).toEqual([]);
    expect(await s.finding({ kind: 'school', schoolIds: ['999'] }, 'f-att-5a')).toBeNull();
  });

  it("the administration's dashboard counts by rule, teacher and class, with the weekly trend", async () => {
    const d = await service().dashboard(admin, 3);
    expect(d.total).toBe(6);
    expect(d.byRule[0]).toEqual({
      key: 'attendance-not-kept',
      label: 'Не отмечена посещаемость',
      count: 2,
    });
    expect(d.byTeacher.find((t) => t.key === T_MATH)).toMatchObject({
      label: 'Петров Пётр Петрович',
      count: 5,
    });
    expect(d.byClass.map((c) => [c.label, c.count])).toEqual([
      ['5А', 3],
      ['6Б', 2],
      ['5А/1 англ.', 1],
    ]);
    // Week ending 14 days before: nothing yet; the next: three opened; the last: four opened,
    // one resolved, six unresolved at its end.
    expect(d.trend.map(({ open, detected, resolved }) => [open, detected, resolved])).toEqual([
      [0, 0, 0],
      [3, 3, 0],
      [6, 4, 1],
    ]);
    expect(d.trend.at(-1)!.end).toBe(AS_OF);
  });

  it('waive needs a reason; a waived finding leaves the teacher’s active list, reopen brings it back', async () => {
    const s = service();
    await expect(
      s.act(admin, 'f-topic-6b', 'waive', { by: 'Сидорова Елена Викторовна', reason: '  ' }),
    ).rejects.toMatchObject({ problems: ['--reason: a waiver needs a reason'] });
    const done = await s.act(admin, 'f-topic-6b', 'waive', {
      by: 'Сидорова Елена Викторовна',
      reason: 'замена: урок провёл другой учитель',
    });
    expect(done!.changed.map((f) => [f.id, f.state])).toEqual([['f-topic-6b', 'waived']]);
    const active = (await s.findings(admin, { teacherId: T_MATH })).map((f) => f.id);
    expect(active).not.toContain('f-topic-6b');
    expect((await s.findings(admin, { states: 'waived' })).map((f) => f.id)).toEqual([
      'f-topic-6b',
    ]);
    const detail = await s.finding(admin, 'f-topic-6b');
    expect(detail!.actions.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['waive', 'Сидорова Елена Викторовна', 'замена: урок провёл другой учитель'],
    ]);
    expect(detail!.events.map((e) => e.kind)).toEqual(['opened']);
    await s.act(admin, 'f-topic-6b', 'reopen', { by: 'Сидорова Елена Викторовна' });
    expect((await s.findings(admin, { teacherId: T_MATH })).map((f) => f.id)).toContain(
      'f-topic-6b',
    );
  });

  it("a subject teacher's findings are their own, with the day they can still be fixed", async () => {
    const s = service();
    const mine = await s.teacherFindings(math);
    expect(mine.map((f) => f.finding.id).sort()).toEqual([
      'f-att-5a',
      'f-att-6b',
      'f-early-5a',
      'f-topic-6b',
      'f-two-5a',
    ]);
    const att = mine.find((f) => f.finding.id === 'f-att-5a')!;
    // The lesson of 08.10 can be edited for 7 days (alerts.editingPeriodDays); as of 12.10: open.
    expect([att.fixNote, att.fixExpired, att.subjectName]).toEqual([
      'Можно исправить до 15.10.2026 включительно',
      false,
      'Математика',
    ]);
    // Not a lesson's entry: no such note.
    expect(mine.find((f) => f.finding.id === 'f-early-5a')!.fixNote).toBeNull();
    // The 5А class teacher teaches nothing here: no finding is theirs as a subject teacher.
    expect(
      await s.teacherFindings({ kind: 'teacher', schoolIds: [SCHOOL], teacherId: T_CT5 }),
    ).toEqual([]);
    // The teacher scope never reaches the class lists.
    expect(await s.classes(math)).toEqual([]);
    expect(await s.finding(math, 'f-absent-5a-group')).toBeNull();
  });

  it('a co-teacher of a lesson sees its finding in their list, its rows and its page alike', async () => {
    // Иванова co-teaches 5А's lesson of 08.10 with Петров: «мои замечания» addresses its
    // finding to both, so the teacher's rows and the finding's page must not refuse it to her.
    await m.db.run('UPDATE lessons SET teacher_ids = ? WHERE id = ?', [
      JSON.stringify([T_MATH, T_CT5]),
      L5,
    ]);
    try {
      const s = service();
      const coTeacher: AccessScope = { kind: 'teacher', schoolIds: [SCHOOL], teacherId: T_CT5 };
      const listed = (await s.teacherFindings(coTeacher)).map((f) => f.finding.id).sort();
      // Both findings of that lesson.
      expect(listed).toEqual(['f-att-5a', 'f-two-5a']);
      expect((await s.findings(coTeacher)).map((f) => f.id).sort()).toEqual(listed);
      expect((await s.finding(coTeacher, 'f-att-5a'))?.finding.id).toBe('f-att-5a');
      // Still nothing of another lesson.
      expect(await s.finding(coTeacher, 'f-att-6b')).toBeNull();
    } finally {
      await m.db.run('UPDATE lessons SET teacher_ids = ? WHERE id = ?', [
        JSON.stringify([T_MATH]),
        L5,
      ]);
    }
  });
});

/** The config's database section for the test mirror (PostgreSQL takes a URL, not a path). */
function databaseOf(m: TestMirror): Record<string, unknown> {
  return m.engine === 'sqlite'
    ? { type: 'sqlite', path: m.database.path }
    : { type: 'postgres', url: TEST_PG_URL, schema: m.database.schema };
}
