import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder } from '../../test/fixtures/checks/builder.js';
import {
  appDatabase,
  createTestMirror,
  ENGINES,
  type TestMirror,
} from '../../test/helpers/mirrors.js';
import { createAppContext, type AppContext } from './context.js';
import { ProgressService } from './progress-service.js';

/**
 * The weekly sheet's "missing marks" in a split subject: a student misses a mark only where a
 * lesson of the whole class or of their own subgroup was held that week. Week 3 of the first
 * quarter (14–20.09.2026): English «гр. 1» had a lesson, «гр. 2» had none.
 */
describe.each(ENGINES)("the weekly sheet's missing marks in a split subject (%s)", (engine) => {
  let m: TestMirror;
  let app: AppContext;
  const asOf = at('2026-09-20T12:00:00');
  beforeAll(async () => {
    m = await createTestMirror(engine);
    const b = new JournalBuilder('930000');
    b.school('Europe/Moscow');
    const cls = b.klass('7В', 7);
    b.period(cls);
    const eng = b.subject('Английский язык');
    const math = b.subject('Математика');
    const g1 = b.subgroup(cls, 'Английский язык, гр. 1');
    const g2 = b.subgroup(cls, 'Английский язык, гр. 2');
    // Last week both groups had English; this week only group 1 did.
    const e1 = b.lesson(cls, eng, '2026-09-08', { groupId: g1 });
    const e2 = b.lesson(cls, eng, '2026-09-09', { groupId: g2 });
    b.lesson(cls, eng, '2026-09-15', { groupId: g1 });
    const m1 = b.lesson(cls, math, '2026-09-16');
    const a = b.student(cls, 'Алексеев Алексей'); // group 1: no English mark this week
    b.enrol(g1, a);
    const v = b.student(cls, 'Волкова Вера'); // group 2: no English lesson this week
    b.enrol(g2, v);
    b.mark(e1, cls, a, '4');
    b.mark(e2, cls, v, '5');
    b.mark(m1, cls, a, '5');
    await b.write(m.db);
    app = createAppContext({
      overrides: { database: appDatabase(m), schools: [{ id: '930000' }] },
    });
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
  });

  it('counts only the lessons of the class and of the student’s own group', async () => {
    const sheet = await new ProgressService(app).classSheet({ class: '7В', asOf });
    expect(sheet.week?.n).toBe(3);
    expect(
      sheet.missingMarks.map(({ studentName, subjectName }) => [studentName, subjectName]),
    ).toEqual([
      ['Алексеев Алексей', 'Английский язык'],
      ['Волкова Вера', 'Математика'],
    ]);
  });
});
