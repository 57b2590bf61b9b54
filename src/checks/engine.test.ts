import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { at, JournalBuilder, ZONE } from '../../test/fixtures/checks/builder.js';
import { runChecks } from './engine.js';
import { changeBetween, findingHistory, listRuns, openCountsPerTeacher } from './history.js';
import { RULE_IDS } from './registry.js';

describe.each(ENGINES)('checks engine on %s', (engine) => {
  let m: TestMirror;
  const school = { id: '880001', timeZone: ZONE };
  const b = new JournalBuilder(school.id);
  const cls = b.klass('5А', 5);
  const student = b.student(cls, 'Иванов Иван');
  const subject = b.subject('Математика');
  const teacher = b.teacher('Петрова Анна Ивановна');
  const l1 = b.lesson(cls, subject, '2026-10-12', { teacherId: teacher, topic: null });
  const l2 = b.lesson(cls, subject, '2026-10-14', { teacherId: teacher, topic: 'урок' });
  const l3 = b.lesson(cls, subject, '2026-10-16', { teacherId: teacher, topic: 'Дроби' });
  const run = (asOf: string) =>
    runChecks(m.db, {
      school,
      asOf: at(asOf),
      rules: ['topic-missing', 'mark-late'],
      clock: { now: () => at(asOf) },
    });

  beforeAll(async () => {
    m = await createTestMirror(engine);
    b.mark(l3, cls, student, '5', { enteredAt: '2026-10-20T09:00:00' });
    await b.write(m.db);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('stores the run with its as-of, parameters and entry precision, and resolves names in messages', async () => {
    const r = await run('2026-10-21T10:00:00');
    expect(r.findings.map((f) => [f.rule, f.lessonId])).toEqual([
      ['mark-late', l3],
      ['topic-missing', l1],
      ['topic-missing', l2],
    ]);
    const late = r.findings[0]!;
    expect(late.message).toBe(
      'Отметка выставлена с опозданием: 5А, Математика, урок 16.10.2026, срок 17.10.2026 12:00, внесена 20.10.2026 09:00, ученик Иванов Иван',
    );
    expect(late.teacherName).toBe('Петрова Анна Ивановна');
    expect(r.entryTimePrecision).toBe('platform');
    const [row] = await m.db.query(`SELECT * FROM check_runs WHERE id = ?`, [r.runId]);
    expect(row).toMatchObject({
      school_id: school.id,
      as_of: at('2026-10-21T10:00:00'),
      status: 'succeeded',
      finding_count: 3,
      new_count: 3,
      resolved_count: 0,
      entry_time_precision: 'platform',
    });
    expect(JSON.parse(String(row!.rules))['topic-missing']).toMatchObject({ minLength: 4 });
  });

  it('fixing one violation resolves that finding only; the others keep their first run', async () => {
    const [first] = await listRuns(m.db, school.id);
    b.change('lessons', l1, { topic: 'Сложение дробей' }, at('2026-10-21T18:00:00'));
    await b.write(m.db);
    const second = await run('2026-10-22T10:00:00');
    expect(second.newCount).toBe(0);
    expect(second.resolvedCount).toBe(1);
    const rows = await m.db.query<{
      lesson_id: string;
      rule: string;
      first_run_id: string;
      last_run_id: string;
      resolved_run_id: string | null;
    }>(
      `SELECT lesson_id, rule, first_run_id, last_run_id, resolved_run_id FROM findings WHERE school_id = ? ORDER BY rule, lesson_id`,
      [school.id],
    );
    const byLesson = new Map(
      rows.filter((r) => r.rule === 'topic-missing').map((r) => [r.lesson_id, r]),
    );
    expect(byLesson.get(l1)).toMatchObject({
      first_run_id: first!.id,
      last_run_id: first!.id,
      resolved_run_id: second.runId,
    });
    expect(byLesson.get(l2)).toMatchObject({
      first_run_id: first!.id,
      last_run_id: second.runId,
      resolved_run_id: null,
    });
    const [latest] = await listRuns(m.db, school.id);
    expect(latest).toMatchObject({
      id: second.runId,
      newCount: 0,
      resolvedCount: 1,
      findingCount: 2,
    });
  });

  it('a finding seen again after resolution is re-opened, keeping its first run; history records each step', async () => {
    b.change('lessons', l1, { topic: null }, at('2026-10-22T18:00:00'));
    await b.write(m.db);
    const third = await run('2026-10-23T10:00:00');
    expect(third.newCount).toBe(1);
    const f = third.findings.find((x) => x.lessonId === l1)!;
    const [row] = await m.db.query(
      `SELECT resolved_at, first_seen_at FROM findings WHERE key = ?`,
      [f.key],
    );
    expect(row).toMatchObject({ resolved_at: null, first_seen_at: at('2026-10-21T10:00:00') });
    const history = await findingHistory(m.db, f.key);
    expect(history.map((h) => h.kind)).toEqual(['opened', 'resolved', 'reopened']);
    expect(await openCountsPerTeacher(m.db, school.id, at('2026-10-22T10:00:00'))).toEqual([
      { teacherId: teacher, teacherName: 'Петрова Анна Ивановна', count: 2 },
    ]);
    const change = await changeBetween(
      m.db,
      school.id,
      at('2026-10-21T10:00:00'),
      at('2026-10-23T10:00:00'),
    );
    expect(change).toEqual([
      {
        teacherId: teacher,
        teacherName: 'Петрова Анна Ивановна',
        before: 3,
        after: 3,
        appeared: 1,
        resolved: 1,
      },
    ]);
  });

  it('a finding seen again with another message is rewritten (first run kept, no event); one seen as it was only moves its last run', async () => {
    b.change(
      'persons',
      student,
      { fullName: 'Иванов Пётр', firstName: 'Пётр' },
      at('2026-10-23T12:00:00'),
    );
    await b.write(m.db);
    const before = await m.db.query<{ key: string; first_run_id: string; details: string }>(
      `SELECT key, first_run_id, details FROM findings WHERE school_id = ? AND rule = 'mark-late'`,
      [school.id],
    );
    const next = await run('2026-10-23T14:00:00');
    expect([next.newCount, next.resolvedCount]).toEqual([0, 0]);
    const rows = await m.db.query<{
      key: string;
      rule: string;
      message: string;
      details: string;
      first_run_id: string;
      last_run_id: string;
      last_seen_at: number | string;
    }>(
      `SELECT key, rule, message, details, first_run_id, last_run_id, last_seen_at FROM findings
        WHERE school_id = ? AND resolved_at IS NULL ORDER BY rule, key`,
      [school.id],
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.last_run_id).toBe(next.runId);
      expect(Number(r.last_seen_at)).toBe(at('2026-10-23T14:00:00'));
    }
    const late = rows.find((r) => r.rule === 'mark-late')!;
    expect(late.message).toMatch(/ученик Иванов Пётр$/);
    expect(JSON.parse(late.details).names.student).toBe('Иванов Пётр');
    expect(late.first_run_id).toBe(before[0]!.first_run_id);
    expect(JSON.parse(before[0]!.details).names.student).toBe('Иванов Иван');
    expect((await findingHistory(m.db, late.key)).map((h) => h.kind)).toEqual(['opened']);
  });

  it('a run limited to one rule never resolves the findings of the others', async () => {
    const r = await runChecks(m.db, {
      school,
      asOf: at('2026-10-24T10:00:00'),
      rules: ['grade1-mark'],
    });
    expect(r.resolvedCount).toBe(0);
    const open = await m.db.query(
      `SELECT key FROM findings WHERE school_id = ? AND resolved_at IS NULL`,
      [school.id],
    );
    expect(open).toHaveLength(3);
  });

  it('refuses an unknown rule with the list of valid ids, and an unknown class with the class list', async () => {
    await expect(
      runChecks(m.db, { school, asOf: 0, rules: ['no-such-rule'] }),
    ).rejects.toMatchObject({
      exitCode: 2,
      problems: [`valid rule ids: ${RULE_IDS.join(', ')}`],
    });
    await expect(runChecks(m.db, { school, asOf: 0, classFilter: ['9Я'] })).rejects.toMatchObject({
      exitCode: 2,
      problems: ['classes: 5А'],
    });
  });

  it('evaluating rules at once (threads on SQLite, connections on PostgreSQL) finds and stores the same', async () => {
    const options = {
      school,
      asOf: at('2026-10-24T10:00:00'),
      rules: ['topic-missing', 'mark-late', 'grade1-mark', 'final-mark-objectivity'],
    };
    const one = await runChecks(m.db, options);
    const two = await runChecks(m.db, { ...options, threads: 2 });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(two.findings.length).toBeGreaterThan(0);
    expect(two.findings.map((f) => [f.key, f.message])).toEqual(
      one.findings.map((f) => [f.key, f.message]),
    );
    expect([two.newCount, two.resolvedCount]).toEqual([0, 0]);
  });

  it('a rule that fails on a thread fails the run with the rule named, and the run is marked failed', async () => {
    await m.db.run('ALTER TABLE lessons RENAME TO lessons_away');
    try {
      await expect(
        runChecks(m.db, {
          school,
          asOf: at('2026-10-24T10:00:00'),
          rules: ['topic-missing', 'grade1-mark'],
          threads: 2,
        }),
        // Both rules read lessons; whichever lane fails first names itself.
      ).rejects.toThrow(/^rule (topic-missing|grade1-mark): .*lessons/);
    } finally {
      await m.db.run('ALTER TABLE lessons_away RENAME TO lessons');
    }
    const [last] = await m.db.query(
      `SELECT status FROM check_runs WHERE school_id = ? ORDER BY started_at DESC LIMIT 1`,
      [school.id],
    );
    expect(last?.status).toBe('failed');
  });
});
