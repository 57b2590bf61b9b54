import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, EARLY, JournalBuilder } from '../../../test/fixtures/checks/builder.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import { openMirror } from '../data-source.js';
import type { SqlDb, SqliteDb } from '../sql.js';
import { totalsInsert } from './build-sql.js';
import { buildLessonTotals } from './lesson-totals.js';
import { indexName } from '../migrations/create-table.js';
import { ATTENDANCE_ABSENCES } from '../tables.js';
import { refreshPeriodTotals, totalsAnswerFor } from './refresh.js';

/**
 * The period totals follow the change history: a refresh after changes recomputes only the
 * periods they touch, and leaves exactly what a rebuild from scratch would.
 */

interface Totals {
  period_row: string;
  subject_id: string;
  student_id: string;
  marks: number;
  graded: number;
  plain_sum: number;
  weighted_sum: number;
  weight_sum: number;
  last_graded_date: string | null;
}

async function totals(m: TestMirror, school: string): Promise<Totals[]> {
  const rows = await m.db.query<Record<string, unknown>>(
    `SELECT period_row, subject_id, student_id, marks, graded, plain_sum, weighted_sum, weight_sum,
       last_graded_date FROM period_mark_totals WHERE school_id = ?
     ORDER BY period_row, subject_id, student_id`,
    [school],
  );
  return rows.map((r) => ({
    period_row: String(r.period_row),
    subject_id: String(r.subject_id),
    student_id: String(r.student_id),
    marks: Number(r.marks),
    graded: Number(r.graded),
    plain_sum: Number(r.plain_sum),
    weighted_sum: Number(r.weighted_sum),
    weight_sum: Number(r.weight_sum),
    last_graded_date: r.last_graded_date === null ? null : String(r.last_graded_date),
  }));
}

/** Lessons per period row and subject: `period_row|subject_id|lessons|last_date`. */
async function subjects(m: TestMirror, school: string): Promise<string[]> {
  const rows = await m.db.query<Record<string, unknown>>(
    `SELECT period_row, subject_id, lessons, last_date FROM period_subject_totals
     WHERE school_id = ? ORDER BY period_row, subject_id`,
    [school],
  );
  return rows.map((r) => [r.period_row, r.subject_id, Number(r.lessons), r.last_date].join('|'));
}

/** The lesson order: `lesson_id|class_id|subject_id|seq`, by lesson. */
async function order(m: TestMirror, school: string): Promise<string[]> {
  const rows = await m.db.query<Record<string, unknown>>(
    `SELECT lesson_id, class_id, subject_id, seq FROM lesson_order WHERE school_id = ?
     ORDER BY lesson_id`,
    [school],
  );
  return rows.map((r) => [r.lesson_id, r.class_id, r.subject_id, Number(r.seq)].join('|'));
}

/** The per-lesson totals: `lesson_id|attendance|homework_len|entry_lag|control_entry_lag`. */
async function entries(m: TestMirror, school: string): Promise<string[]> {
  const rows = await m.db.query<Record<string, unknown>>(
    `SELECT lesson_id, attendance, homework_len, entry_lag, control_entry_lag FROM lesson_entry_totals
     WHERE school_id = ? ORDER BY lesson_id`,
    [school],
  );
  const lag = (v: unknown) => (v === null ? null : Number(v));
  return rows.map((r) =>
    [
      r.lesson_id,
      Number(r.attendance),
      Number(r.homework_len),
      lag(r.entry_lag),
      lag(r.control_entry_lag),
    ].join('|'),
  );
}

/** The per-lesson cell figures: `lesson_id|absent_marked|control_unmarked`. */
async function cells(m: TestMirror, school: string): Promise<string[]> {
  const rows = await m.db.query<Record<string, unknown>>(
    `SELECT lesson_id, absent_marked, control_unmarked FROM lesson_entry_totals
     WHERE school_id = ? ORDER BY lesson_id`,
    [school],
  );
  return rows.map((r) =>
    [r.lesson_id, Number(r.absent_marked), Number(r.control_unmarked)].join('|'),
  );
}

/** Every derived table as it is now. */
async function current(m: TestMirror, school: string) {
  return {
    marks: await totals(m, school),
    lessons: await subjects(m, school),
    order: await order(m, school),
    entries: await entries(m, school),
    cells: await cells(m, school),
  };
}

/** What a rebuild from nothing gives: the state row dropped, then a refresh. */
async function rebuilt(m: TestMirror, school: string): ReturnType<typeof current> {
  await m.db.run(`DELETE FROM derived_state WHERE school_id = ?`, [school]);
  const r = await refreshPeriodTotals(m.db, school, Date.now());
  expect(r.mode).toBe('full');
  return current(m, school);
}

describe.each(ENGINES)('period totals on %s', (engine) => {
  let m: TestMirror;
  let seq = 0;
  beforeAll(async () => {
    m = await createTestMirror(engine);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  /** A class with two quarters, two students, one subject, a weighted and a final work type. */
  function journal() {
    const b = new JournalBuilder(String(880000 + ++seq * 10));
    const cls = b.klass('6А', 6);
    const [ann, bob] = [b.student(cls), b.student(cls)];
    const subject = b.subject('Физика');
    const q1 = b.period(cls, { name: '1 четверть', start: '2026-09-01', finish: '2026-10-25' });
    const q2 = b.period(cls, {
      name: '2 четверть',
      number: 2,
      start: '2026-11-05',
      finish: '2026-12-28',
    });
    const test = b.workType('LessonTest', { weight: 2 });
    const final = b.workType('PeriodFinal', { isFinal: true });
    const l1 = b.lesson(cls, subject, '2026-09-07');
    const l2 = b.lesson(cls, subject, '2026-10-12');
    const l3 = b.lesson(cls, subject, '2026-11-09');
    const marks = {
      ann5: b.mark(l1, cls, ann, '5'),
      ann3test: b.mark(l2, cls, ann, '3', { workTypeId: test }),
      annNa: b.mark(l2, cls, ann, 'н/а', { markSystem: 'text' }),
      annFinal: b.mark(l2, cls, ann, '4', { workTypeId: final }),
      bob2: b.mark(l1, cls, bob, '2', { countsInAverage: false }),
      bob4: b.mark(l3, cls, bob, '4'),
    };
    return { b, cls, ann, bob, subject, q1, q2, test, final, lessons: { l1, l2, l3 }, marks };
  }

  it('a first refresh builds every period: counts, plain and weighted sums of current marks', async () => {
    const j = journal();
    await j.b.write(m.db);
    const r = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(r).toMatchObject({ mode: 'full', periods: 2 });
    const rows = await totals(m, j.b.schoolId);
    const row = (student: string, quarter: string) =>
      rows.find((t) => t.student_id === student && t.period_row === `${j.cls}:${quarter}`);
    // Ann, Q1: «5» and «3» on a test of weight 2 count; «н/а» counts as a mark, not in the
    // average; the mark on a final work type is not current at all.
    expect(row(j.ann, j.q1)).toMatchObject({
      marks: 3,
      graded: 2,
      plain_sum: 8,
      weighted_sum: 11,
      weight_sum: 3,
      last_graded_date: '2026-10-12',
    });
    // Bob: a «2» that does not count in the average, and a «4» in Q2.
    expect(row(j.bob, j.q1)).toMatchObject({ marks: 1, graded: 0, last_graded_date: null });
    expect(row(j.bob, j.q2)).toMatchObject({ marks: 1, graded: 1, plain_sum: 4 });
    expect(row(j.ann, j.q2)).toBeUndefined();
    expect(await subjects(m, j.b.schoolId)).toEqual([
      `${j.cls}:${j.q1}|${j.subject}|2|2026-10-12`,
      `${j.cls}:${j.q2}|${j.subject}|1|2026-11-09`,
    ]);
  });

  it('a refresh after changes recomputes the touched periods only, as a rebuild would', async () => {
    const j = journal();
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    const before = await totals(m, j.b.schoolId);
    const later = at('2026-11-12T10:00:00');
    // Q2 only: Bob's «4» becomes «5», and Ann gets a mark.
    j.b.change('marks', j.marks.bob4, { value: '5' }, later);
    j.b.mark(j.lessons.l3, j.cls, j.ann, '3', { seenAt: later });
    await j.b.write(m.db);
    const partial = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(partial).toMatchObject({ mode: 'partial', periods: 1, versions: 2 });
    const after = await totals(m, j.b.schoolId);
    expect(after.filter((t) => t.period_row.endsWith(j.q1))).toEqual(
      before.filter((t) => t.period_row.endsWith(j.q1)),
    );
    expect(after.find((t) => t.student_id === j.bob && t.period_row.endsWith(j.q2))).toMatchObject({
      plain_sum: 5,
    });
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
  });

  it('a lesson moved to the next quarter and a deleted mark change both quarters', async () => {
    const j = journal();
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    const later = at('2026-11-20T09:00:00');
    j.b.change('lessons', j.lessons.l2, { date: '2026-11-16' }, later);
    j.b.deleted('marks', j.marks.ann5, later);
    await j.b.write(m.db);
    const partial = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(partial).toMatchObject({ mode: 'partial', periods: 2 });
    const after = await totals(m, j.b.schoolId);
    const ann = after.filter((t) => t.student_id === j.ann);
    // Ann's Q1 marks are gone (one deleted, two moved with their lesson) and Q2 holds the moved ones.
    expect(ann.map((t) => [t.period_row.endsWith(j.q2), t.marks, t.plain_sum])).toEqual([
      [true, 2, 3],
    ]);
    expect(await subjects(m, j.b.schoolId)).toEqual([
      `${j.cls}:${j.q1}|${j.subject}|1|2026-09-07`,
      `${j.cls}:${j.q2}|${j.subject}|2|2026-11-16`,
    ]);
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
  });

  it('lessons added, moved or deleted renumber their series only, as a rebuild would', async () => {
    const j = journal();
    const other = j.b.subject('Химия');
    const chem = j.b.lesson(j.cls, other, '2026-09-08');
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    const { l1, l2, l3 } = j.lessons;
    const row = (id: string, subject: string, seq: number) => `${id}|${j.cls}|${subject}|${seq}`;
    expect(await order(m, j.b.schoolId)).toEqual(
      [
        row(l1, j.subject, 1),
        row(l2, j.subject, 2),
        row(l3, j.subject, 3),
        row(chem, other, 1),
      ].sort(),
    );
    const later = at('2026-11-19T09:00:00');
    // The first lesson moves after the last, the second is deleted, a new one comes first; on
    // the same date, a lesson without a number goes before the second lesson of the day.
    j.b.change('lessons', l1, { date: '2026-11-10' }, later);
    j.b.deleted('lessons', l2, later);
    const first = j.b.lesson(j.cls, j.subject, '2026-09-03', { number: 2, seenAt: later });
    const noNumber = j.b.lesson(j.cls, j.subject, '2026-09-03', { number: null, seenAt: later });
    await j.b.write(m.db);
    const partial = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(partial).toMatchObject({ mode: 'partial', series: 1 });
    expect(await order(m, j.b.schoolId)).toEqual(
      [
        row(noNumber, j.subject, 1),
        row(first, j.subject, 2),
        row(l3, j.subject, 3),
        row(l1, j.subject, 4),
        row(chem, other, 1),
      ].sort(),
    );
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
  });

  it('per lesson: attendance, homework and late entries follow the changes of their lessons only', async () => {
    const j = journal();
    const { l1, l2, l3 } = j.lessons;
    j.b.attendance(l1, j.cls, j.ann, 'Attend');
    j.b.attendance(l1, j.cls, j.bob, 'Absent');
    const hw = j.b.work(l2, j.cls, { text: '  Стр. 25  ' });
    j.b.work(l2, j.cls, { text: 'упр' });
    // Lessons' days begin at local midnight (UTC+3). A test (a control kind) is apart.
    j.b.mark(l2, j.cls, j.bob, '4', { workTypeId: j.test, enteredAt: '2026-10-15T12:00:00' });
    const late = j.b.mark(l3, j.cls, j.ann, '4', { enteredAt: '2026-11-11T09:00:00' });
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    const [day, hour] = [86_400_000, 3_600_000];
    const lag = 2 * day + 9 * hour;
    const control = 3 * day + 12 * hour;
    expect(await entries(m, j.b.schoolId)).toEqual(
      [`${l1}|2|0||`, `${l2}|0|7||${control}`, `${l3}|0|0|${lag}|`].sort(),
    );
    const later = at('2026-11-26T09:00:00');
    // l1: an entry deleted; l2: its longer homework deleted; l3: moved a day later (its latest
    // entry comes a day sooner after the lesson); a new lesson with a mark and no attendance.
    j.b.deleted('attendance', `${l1}:${j.bob}`, later);
    j.b.deleted('works', hw, later);
    j.b.change('lessons', l3, { date: '2026-11-10' }, later);
    const l4 = j.b.lesson(j.cls, j.subject, '2026-11-24', { seenAt: later });
    j.b.mark(l4, j.cls, j.bob, '5', { enteredAt: '2026-11-24T10:00:00', seenAt: later });
    await j.b.write(m.db);
    const partial = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(partial).toMatchObject({ mode: 'partial', lessons: 4 });
    expect(await entries(m, j.b.schoolId)).toEqual(
      [
        `${l1}|1|0||`,
        `${l2}|0|3||${control}`,
        `${l3}|0|0|${lag - day}|`,
        `${l4}|0|0|${10 * hour}|`,
      ].sort(),
    );
    // A late change to one mark of l3 touches l3 alone.
    j.b.change('marks', late, { enteredAt: '2026-11-12T09:00:00' }, at('2026-11-27T09:00:00'));
    await j.b.write(m.db);
    expect(await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).toMatchObject({
      mode: 'partial',
      lessons: 1,
    });
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
    expect(await entries(m, j.b.schoolId)).toContain(`${l3}|0|0|${lag}|`);
  });

  it('per lesson: a mark moved, a lesson deleted then restored, a kind changed: as a rebuild would', async () => {
    const j = journal();
    const { l1, l2, l3 } = j.lessons;
    const moved = j.b.mark(l1, j.cls, j.ann, '4', {
      workTypeId: j.test,
      enteredAt: '2026-09-12T09:00:00',
    });
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    const [day, hour] = [86_400_000, 3_600_000];
    const row = async (id: string) =>
      (await entries(m, j.b.schoolId)).find((e) => e.startsWith(`${id}|`));
    expect(await row(l1)).toBe(`${l1}|0|0||${5 * day + 9 * hour}`);
    // The mark moves to l2 (both lessons change); l3 is deleted: it keeps its row, mark-late
    // still judges its live marks.
    j.b.change('marks', moved, { lessonId: l2 }, at('2026-11-26T09:00:00'));
    await j.b.write(m.db);
    j.b.deleted('lessons', l3, at('2026-11-26T10:00:00'));
    await j.b.write(m.db);
    expect(await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).toMatchObject({
      mode: 'partial',
      lessons: 3,
    });
    expect(await row(l1)).toBe(`${l1}|0|0||`);
    expect(await row(l2)).toBe(`${l2}|0|0||${-(30 * day) + 9 * hour}`);
    expect(await row(l3)).toBe(`${l3}|0|0||`);
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
    // Restored, and the test's kind no longer a control kind: a full rebuild reads it anew.
    j.b.change('lessons', l3, {}, at('2026-11-27T09:00:00'));
    j.b.change('workTypes', j.test, { kind: 'LessonAnswer' }, at('2026-11-27T09:00:00'));
    await j.b.write(m.db);
    expect((await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).mode).toBe('full');
    expect(await row(l2)).toBe(`${l2}|0|0|${-(30 * day) + 9 * hour}|`);
    expect(await row(l3)).toBe(`${l3}|0|0||`);
  });

  it('per lesson: absences with a mark and students unmarked at a control work follow marks, attendance and rosters', async () => {
    const j = journal();
    const { l1, l2, l3 } = j.lessons;
    // l1 holds Ann's «5» and Bob's «2»: Ann ill (a contradiction), Bob late (present).
    j.b.attendance(l1, j.cls, j.ann, 'Ill');
    j.b.attendance(l1, j.cls, j.bob, 'Late');
    // l3: Ann absent, her only mark a homework's (no contradiction).
    const hw = j.b.work(l3, j.cls);
    j.b.mark(l3, j.cls, j.ann, '5', { workId: hw });
    j.b.attendance(l3, j.cls, j.ann, 'Absent');
    // l2: a test (a control kind) marked for Ann only; Bob present and unmarked. A subgroup's
    // lesson with a test: its one member, Ann, unmarked.
    const test = j.b.work(l2, j.cls, { type: 'Test', workTypeId: j.test, text: null });
    j.b.mark(l2, j.cls, j.ann, '4', { workId: test, workTypeId: j.test });
    const group = j.b.subgroup(j.cls, 'гр. 1');
    j.b.enrol(group, j.ann);
    const g = j.b.lesson(j.cls, j.subject, '2026-10-13', { groupId: group });
    j.b.work(g, j.cls, { type: 'Test', workTypeId: j.test, text: null });
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(await cells(m, j.b.schoolId)).toEqual(
      [`${l1}|1|0`, `${l2}|0|1`, `${l3}|0|0`, `${g}|0|1`].sort(),
    );
    // Bob absent from l2 after all; Ann's entry of l1 deleted; a newcomer enrolled in the class
    // (unmarked at l2's test) and Bob in the subgroup (unmarked at its test).
    const later = at('2026-11-26T09:00:00');
    j.b.attendance(l2, j.cls, j.bob, 'Absent', later);
    j.b.deleted('attendance', `${l1}:${j.ann}`, later);
    const newcomer = j.b.person('student', 'Новиков Пётр');
    j.b.enrol(j.cls, newcomer, later);
    j.b.enrol(group, j.bob, later);
    await j.b.write(m.db);
    const partial = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    // Every lesson of the class and of the subgroup: their rosters changed.
    expect(partial).toMatchObject({ mode: 'partial', lessons: 4 });
    expect(await cells(m, j.b.schoolId)).toEqual(
      [`${l1}|0|0`, `${l2}|0|1`, `${l3}|0|0`, `${g}|0|2`].sort(),
    );
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
    // The newcomer leaves the class (archived): l2 has no unmarked student present.
    j.b.change(
      'enrollments',
      `${j.cls}:${newcomer}`,
      { status: 'archived' },
      at('2026-11-27T09:00:00'),
    );
    await j.b.write(m.db);
    expect(await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).toMatchObject({
      mode: 'partial',
    });
    expect(await cells(m, j.b.schoolId)).toContain(`${l2}|0|0`);
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
  });

  it("per lesson: a mark away from its work's lesson, a work's type and a lesson the mirror lacks", async () => {
    const j = journal();
    const { l1, l2, l3 } = j.lessons;
    // A test on l2 whose only mark (Ann's) sits on l3: Bob unmarked at it.
    const test = j.b.work(l2, j.cls, { type: 'Test', workTypeId: j.test, text: null });
    const away = j.b.mark(l3, j.cls, j.ann, '5', { workId: test, workTypeId: j.test });
    // A homework given on l1 and marked on l4, where Bob was absent: no contradiction.
    const hw = j.b.work(l1, j.cls);
    const l4 = j.b.lesson(j.cls, j.subject, '2026-11-16');
    j.b.attendance(l4, j.cls, j.bob, 'Absent');
    j.b.mark(l4, j.cls, j.bob, '4', { workId: hw });
    // A lesson the lessons' fetch never stored: Ann absent from it, with a mark in it.
    const missing = 'lesson-not-mirrored';
    j.b.attendance(missing, j.cls, j.ann, 'Absent');
    j.b.mark(missing, j.cls, j.ann, '3');
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(await cells(m, j.b.schoolId)).toEqual(
      [`${l1}|0|0`, `${l2}|0|1`, `${l3}|0|0`, `${l4}|0|0`, `${missing}|1|0`].sort(),
    );
    // Ann's mark deleted (l2 recomputed: its test now has two unmarked students); the homework
    // becomes a classwork (l4: Bob's «н» beside a mark).
    const later = at('2026-11-26T09:00:00');
    j.b.deleted('marks', away, later);
    j.b.change('works', hw, { type: 'LessonAnswer' }, later);
    await j.b.write(m.db);
    expect(await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).toMatchObject({
      mode: 'partial',
    });
    expect(await cells(m, j.b.schoolId)).toEqual(
      [`${l1}|0|0`, `${l2}|0|2`, `${l3}|0|0`, `${l4}|1|0`, `${missing}|1|0`].sort(),
    );
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
    // The missing lesson's absence deleted: its row goes with the next refresh.
    j.b.deleted('attendance', `${missing}:${j.ann}`, at('2026-11-27T09:00:00'));
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect((await cells(m, j.b.schoolId)).some((c) => c.startsWith(`${missing}|`))).toBe(false);
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
  });

  it('nothing new: unchanged; a work type changed: a full rebuild', async () => {
    const j = journal();
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect((await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).mode).toBe('unchanged');
    j.b.change('workTypes', j.test, { weight: 3 }, at('2026-11-21T09:00:00'));
    await j.b.write(m.db);
    expect((await refreshPeriodTotals(m.db, j.b.schoolId, Date.now())).mode).toBe('full');
    const ann = (await totals(m, j.b.schoolId)).find(
      (t) => t.student_id === j.ann && t.period_row.endsWith(j.q1),
    );
    expect(ann).toMatchObject({ weighted_sum: 14, weight_sum: 4 });
  });

  it('a change committed late, observed before the applied instant, is still taken in', async () => {
    const j = journal();
    await j.b.write(m.db);
    const later = at('2026-11-23T10:00:00');
    j.b.mark(j.lessons.l3, j.cls, j.bob, '5', { seenAt: later });
    await j.b.write(m.db);
    await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    // A scope that read its clock 30 s before the change above and committed after the refresh.
    j.b.mark(j.lessons.l3, j.cls, j.ann, '2', { seenAt: later - 30_000 });
    await j.b.write(m.db);
    const r = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(r).toMatchObject({ mode: 'partial', periods: 1, appliedThrough: later });
    const after = await totals(m, j.b.schoolId);
    expect(after.find((t) => t.student_id === j.ann && t.period_row.endsWith(j.q2))).toMatchObject({
      marks: 1,
      plain_sum: 2,
    });
    expect(await current(m, j.b.schoolId)).toEqual(await rebuilt(m, j.b.schoolId));
  });

  it('answer only for instants after every change they hold', async () => {
    const j = journal();
    const later = at('2026-11-25T09:00:00');
    j.b.mark(j.lessons.l3, j.cls, j.ann, '5', { seenAt: later });
    await j.b.write(m.db);
    const r = await refreshPeriodTotals(m.db, j.b.schoolId, Date.now());
    expect(r.appliedThrough).toBe(later);
    expect(await totalsAnswerFor(m.db, j.b.schoolId, later - 1)).toBe(false);
    expect(await totalsAnswerFor(m.db, j.b.schoolId, later)).toBe(true);
    expect(await totalsAnswerFor(m.db, '000', later)).toBe(false);
    expect(EARLY).toBeLessThan(later);
  });
});

describe('period totals recompute plan (SQLite, no table statistics)', () => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('a few periods cost one scan of the marks, never a search of the marks per lesson', () => {
    const q = totalsInsert('880001', ['p1', 'p2']);
    const plan = (m.db as SqliteDb).raw
      .prepare(`EXPLAIN QUERY PLAN ${q.text}`)
      .all(...q.params)
      .map((r) => (r as { detail: string }).detail);
    expect(plan).toContain('SCAN m');
    // Searching marks by the primary key's `source` prefix reads every mark for each lesson.
    expect(plan.filter((d) => d.startsWith('SEARCH m '))).toEqual([]);
  });
});

describe('per-lesson totals build plan (SQLite, no table statistics)', () => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it("probes a lesson's absences by their own index and a work's roster by its class", async () => {
    const plans: string[] = [];
    const raw = (m.db as SqliteDb).raw;
    const tx = {
      dialect: 'sqlite' as const,
      query: () => Promise.resolve([]),
      run: (text: string, params: unknown[] = []) => {
        if (text.startsWith('INSERT')) {
          plans.push(
            ...raw
              .prepare(`EXPLAIN QUERY PLAN ${text}`)
              .all(...params)
              .map((r) => (r as { detail: string }).detail),
          );
        }
        return Promise.resolve();
      },
    };
    await buildLessonTotals(tx as unknown as SqlDb, '880001');
    expect(plans).toContain(
      `SEARCH e USING INDEX ${indexName('enrollments', ['class_id'])} (class_id=?)`,
    );
    // Besides the count of every entry (from its covering index), only the absences' index,
    // in both inserts (the mirrored lessons, and those only absences name).
    const reads = plans.filter((d) => /^(SEARCH|SCAN) a /.test(d));
    expect(new Set(reads.filter((d) => !d.includes(ATTENDANCE_ABSENCES.name)))).toEqual(
      new Set([
        'SEARCH a USING COVERING INDEX idx_attendance_lesson_id_source_first_seen_at_deleted_at (lesson_id=? AND source=?)',
      ]),
    );
    expect(reads.filter((d) => d.includes(ATTENDANCE_ABSENCES.name)).length).toBe(5);
  });
});

describe('a full build samples the tables for the planner (PostgreSQL)', () => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror('postgres');
  });
  afterAll(async () => {
    await m?.dispose();
  });

  /** Column statistics the planner holds for a table of the mirror's own schema. */
  async function sampled(table: string): Promise<number> {
    const [row] = await m.db.query<{ n: unknown }>(
      `SELECT count(*) AS n FROM pg_stats WHERE schemaname = current_schema() AND tablename = ?`,
      [table],
    );
    return Number(row?.n);
  }

  it('has statistics for the marks and the totals once a first sync built them', async () => {
    const b = new JournalBuilder('871000');
    const cls = b.klass('7Б', 7);
    const student = b.student(cls);
    const subject = b.subject('Химия');
    b.period(cls, { name: '1 четверть', start: '2026-09-01', finish: '2026-10-25' });
    b.mark(b.lesson(cls, subject, '2026-09-07'), cls, student, '5');
    await b.write(m.db);
    expect(await sampled('marks')).toBe(0);
    await refreshPeriodTotals(m.db, b.schoolId, Date.now());
    expect(await sampled('marks')).toBeGreaterThan(0);
    expect(await sampled('period_mark_totals')).toBeGreaterThan(0);
  });
});

describe('a sync that commits while the derived tables are built (PostgreSQL)', () => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror('postgres');
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('is not recorded as applied: the next refresh takes it in', async () => {
    const b = new JournalBuilder('873000');
    const cls = b.klass('8В', 8);
    const student = b.student(cls);
    const subject = b.subject('История');
    b.period(cls, { name: '2 четверть', start: '2026-11-05', finish: '2026-12-28' });
    const lesson = b.lesson(cls, subject, '2026-11-09');
    b.mark(lesson, cls, student, '5', { enteredAt: '2026-11-09T10:00:00' });
    await b.write(m.db);
    // Another process (a sync scope: no school lock keeps it out of a check run's refresh)
    // writes a late mark while the build runs, on its own connections.
    const other = await openMirror(m.database);
    const later = at('2026-11-26T09:00:00');
    b.mark(lesson, cls, student, '2', { enteredAt: '2026-11-25T09:00:00', seenAt: later });
    let written = false;
    const during: SqlDb = {
      dialect: m.db.dialect,
      query: (text, params) => m.db.query(text, params),
      run: (text, params) => m.db.run(text, params),
      transaction: (fn) =>
        m.db.transaction((tx) =>
          fn({
            dialect: tx.dialect,
            query: (text, params) => tx.query(text, params),
            run: async (text, params) => {
              if (!written && text.includes('INSERT INTO lesson_entry_totals')) {
                written = true;
                await b.write(other.db);
              }
              return tx.run(text, params);
            },
          }),
        ),
    };
    try {
      const first = await refreshPeriodTotals(during, b.schoolId, Date.now());
      expect(written).toBe(true);
      expect(first.mode).toBe('full');
      expect(first.appliedThrough).toBeLessThan(later);
      const next = await refreshPeriodTotals(m.db, b.schoolId, Date.now());
      expect(next).toMatchObject({ mode: 'partial', lessons: 1, appliedThrough: later });
      expect(await current(m, b.schoolId)).toEqual(await rebuilt(m, b.schoolId));
    } finally {
      await other.close();
    }
  });
});
