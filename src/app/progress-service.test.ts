import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { createAppContext, type AppContext } from './context.js';
import { ProgressService } from './progress-service.js';

/**
 * The service the doors call, over a hand-made journal: a 5А of three students in week 3 of the
 * first quarter (14–20.09.2026), two subjects. The SQL under it runs on both engines in
 * src/analytics/progress.test.ts; here: what the sheet, the extract and the forecast show.
 */
describe('ProgressService', () => {
  let m: TestMirror;
  let app: AppContext;
  const asOf = at('2026-09-20T12:00:00');
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    const b = new JournalBuilder('920000');
    b.school('Europe/Moscow');
    const cls = b.klass('5А', 5);
    b.period(cls);
    const math = b.subject('Математика');
    const rus = b.subject('Русский язык');
    const m1 = b.lesson(cls, math, '2026-09-09');
    const m2 = b.lesson(cls, math, '2026-09-16');
    const r1 = b.lesson(cls, rus, '2026-09-10');
    const r2 = b.lesson(cls, rus, '2026-09-17');
    b.work(r2, cls, { text: 'Упр. 45' });
    const a = b.student(cls, 'Андреев Антон');
    const v = b.student(cls, 'Васильев Виктор');
    b.student(cls, 'Григорьев Глеб');
    b.mark(m1, cls, a, '5');
    b.mark(m2, cls, a, '5');
    b.mark(r1, cls, a, '4');
    b.mark(r2, cls, a, '5');
    b.mark(m1, cls, v, '3');
    b.mark(m2, cls, v, '2');
    b.mark(r1, cls, v, '2');
    b.attendance(r2, cls, v, 'Ill');
    await b.write(m.db);
    app = createAppContext({ overrides: { database: m.database, schools: [{ id: '920000' }] } });
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
  });

  it("the weekly sheet: this week's marks, averages, places, risks and missing marks", async () => {
    const sheet = await new ProgressService(app).classSheet({ class: '5а', asOf });
    expect(sheet.week).toEqual({ n: 3, start: '2026-09-14', end: '2026-09-20' });
    expect(sheet.subjects.map((s) => s.name)).toEqual(['Математика', 'Русский язык']);
    const [a, v, g] = sheet.students;
    expect([a!.name, a!.place, a!.overall]).toEqual(['Андреев Антон', '1', 4.75]);
    expect(a!.cells.map((c) => c.weekMarks)).toEqual([['5'], ['5']]);
    expect([v!.place, v!.overall, v!.weekAbsences]).toEqual(['2', 2.25, 1]);
    expect(g!.place).toBeNull();
    // Васильев heads for «2» in Russian (2,00); his 2,50 in maths is «3» by the math profile.
    expect(
      sheet.atRisk
        .filter((r) => r.studentName === 'Васильев Виктор')
        .map((r) => [r.subjectName, r.forecast]),
    ).toEqual([['Русский язык', 2]]);
    expect(
      sheet.missingMarks.map(({ studentName, subjectName }) => ({ studentName, subjectName })),
    ).toEqual([
      { studentName: 'Васильев Виктор', subjectName: 'Русский язык' },
      { studentName: 'Григорьев Глеб', subjectName: 'Математика' },
      { studentName: 'Григорьев Глеб', subjectName: 'Русский язык' },
    ]);
  });

  it("a student's extract by name: the week's marks, dynamics and homework", async () => {
    const e = await new ProgressService(app).studentExtract({ student: 'андреев антон', asOf });
    expect([e.className, e.place, e.range]).toEqual([
      '5А',
      '1',
      { kind: 'week', start: '2026-09-14', end: '2026-09-20' },
    ]);
    const rus = e.subjects.find((s) => s.subjectName === 'Русский язык')!;
    expect(rus.marks.map((x) => x.value)).toEqual(['5']);
    expect(rus.series.map((x) => x.average)).toEqual([null, 4, 4.5]);
    expect(e.homework).toEqual([
      expect.objectContaining({ subjectName: 'Русский язык', date: '2026-09-17', text: 'Упр. 45' }),
    ]);
    const period = await new ProgressService(app).studentExtract({
      student: 'Андреев Антон',
      asOf,
      range: 'period',
    });
    expect(period.subjects[0]!.marks.map((x) => x.value)).toEqual(['5', '5']);
  });

  it("a student's extract lists the homework of their own subgroup, not the other group's", async () => {
    const b = new JournalBuilder('920001');
    b.school('Europe/Moscow');
    const cls = b.klass('6Б', 6);
    b.period(cls);
    const eng = b.subject('Английский язык');
    const g1 = b.subgroup(cls, 'Английский язык, гр. 1');
    const g2 = b.subgroup(cls, 'Английский язык, гр. 2');
    const l1 = b.lesson(cls, eng, '2026-09-16', { groupId: g1 });
    const l2 = b.lesson(cls, eng, '2026-09-16', { groupId: g2 });
    b.work(l1, cls, { text: 'Ex. 5 (гр. 1)' });
    b.work(l2, cls, { text: 'Ex. 9 (гр. 2)' });
    const s1 = b.student(cls, 'Дмитриева Дарья');
    b.enrol(g1, s1);
    const s2 = b.student(cls, 'Егоров Егор');
    b.enrol(g2, s2);
    await b.write(m.db);
    const other = createAppContext({
      overrides: { database: m.database, schools: [{ id: '920001' }] },
    });
    const service = new ProgressService(other);
    const texts = async (student: string) =>
      (await service.studentExtract({ student, asOf })).homework.map((h) => h.text);
    expect(await texts('Дмитриева Дарья')).toEqual(['Ex. 5 (гр. 1)']);
    expect(await texts('Егоров Егор')).toEqual(['Ex. 9 (гр. 2)']);
    await other.close();
  });

  it('an unknown student or class is a usage error that does not repeat the name', async () => {
    await expect(
      new ProgressService(app).studentExtract({ student: 'Нет Такого', asOf }),
    ).rejects.toThrow(/^no student by that id or name$/);
    await expect(new ProgressService(app).classSheet({ class: '9Я', asOf })).rejects.toThrow(
      /no class/,
    );
  });

  it('the forecast of успеваемость and качество, beside the current figures', async () => {
    const f = await new ProgressService(app).forecastSummary({ asOf });
    expect(f.classes).toHaveLength(1);
    // Two students with marks: Андреев 5 and 4 (passing, good), Васильев 3 and 2.
    expect(f.classes[0]!.current).toEqual({ students: 2, success: 50, quality: 50 });
    expect(f.school.forecast).toEqual({ students: 2, success: 50, quality: 50 });
    // At risk: Васильев («2»), and Григорьев: no marks after a third of the quarter.
    expect(f.school.atRisk).toBe(2);
  });
});
