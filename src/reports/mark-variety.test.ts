import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalBuilder } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { loadJournal } from './data/journal.js';
import { loadPerformance } from './data/performance.js';
import type { SchoolInfo } from './data/school.js';
import { layoutJournal } from './html/journal-layout.js';
import { denominator, passRate, qualityRate } from './metrics.js';

/**
 * Mark variety in the documents (issue 17 item 5), written through the mirror's real write
 * path: a «5/4» double mark is one entry of its cell; a lesson taught by two names both; a year
 * mark without a period is printed in the year column; a 10-point class's period marks count in
 * their bands (9–10 «5», 7–8 «4», 5–6 «3»), never as five-point digits; «н/а» and «осв» are
 * never averaged.
 */
describe('documents: mark variety', () => {
  let m: TestMirror;
  const b = new JournalBuilder('890000');
  const school: SchoolInfo = {
    id: b.schoolId,
    name: 'Школа № 1',
    zone: 'Europe/Moscow',
    director: null,
    deputyDirector: null,
  };
  let cls = '';
  let tenPoint = '';
  let anna = '';
  let lesson = '';

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    b.school('UTC+3');
    cls = b.klass('5А', 5);
    const english = b.subject('Английский язык');
    const first = b.teacher('Петрова Анна Ивановна');
    const second = b.teacher('Орлов Кирилл Сергеевич');
    anna = b.student(cls, 'Акимова Анна');
    const boris = b.student(cls, 'Борисов Борис');
    const period = b.period(cls);
    lesson = b.lesson(cls, english, '2026-09-07', { teacherIds: [first, second] });
    const later = b.lesson(cls, english, '2026-09-14', { teacherId: first, number: 2 });
    const dictation = b.work(lesson, cls, { type: 'LessonDictation', text: null });
    b.mark(lesson, cls, anna, '5', { workId: dictation, number: 1 });
    b.mark(lesson, cls, anna, '4', { workId: dictation, number: 2 });
    b.mark(lesson, cls, boris, 'н/а', { workId: dictation, markSystem: 'markna' });
    b.mark(later, cls, boris, '3');
    b.mark(later, cls, anna, 'осв', { markSystem: 'markdismiss' });
    b.finalMark(cls, anna, english, period, '5');
    b.finalMark(cls, boris, english, period, 'н/а', { markSystem: 'markna' });
    b.finalMark(cls, anna, english, null, '5', { periodType: 'year' });

    tenPoint = b.klass('6Б', 6);
    const history = b.subject('История');
    const tenPeriod = b.period(tenPoint);
    const h = b.lesson(tenPoint, history, '2026-09-08', { teacherId: first });
    const values = ['10', '8', '5', '3'];
    for (const [i, v] of values.entries()) {
      const s = b.student(tenPoint, `Ученик${i} Десятибалльный`);
      b.mark(h, tenPoint, s, v, { markSystem: 'mark10' });
      b.finalMark(tenPoint, s, history, tenPeriod, v, { markSystem: 'mark10' });
    }
    await b.write(m.db);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('journal: a double mark is one entry, both teachers are named, the year mark is printed', async () => {
    const data = await loadJournal(m.db, {
      school,
      schoolClass: { id: cls, name: '5А', grade: 5, letter: null },
      period: null,
    });
    const english = data.subjects.find((s) => s.name === 'Английский язык')!;
    const first = english.lessons.find((l) => l.id === lesson)!;
    expect(first.cells[anna]?.marks.map((m) => m.value)).toEqual(['5/4']);
    expect(first.teacher).toBe('Петрова Анна Ивановна, Орлов Кирилл Сергеевич');
    expect(english.teacher).toBe('Петрова А. И., Орлов К. С.');
    expect(english.finals.year?.[anna]).toBe('5');
    const printed = layoutJournal(data, {
      lessonsPerSpread: 16,
      studentsPerPage: 30,
      subjectsPerSummaryPage: 4,
    });
    expect(JSON.stringify(printed)).toContain('Петрова А. И., Орлов К. С.');
  });

  it('performance: 10-point period marks count in their bands; «н/а» counts in N, never in the average', async () => {
    const data = await loadPerformance(m.db, school, '1 четверть');
    const ten = data.rows.find((r) => r.classId === tenPoint)!;
    expect(ten.counts).toMatchObject({ n5: 1, n4: 1, n3: 1, n2: 1 });
    expect(denominator(ten.counts)).toBe(4);
    expect(passRate(ten.counts)).toBe(75);
    expect(qualityRate(ten.counts)).toBe(50);
    // The five-point average never reads 10-point marks.
    expect(ten.weightSum).toBe(0);
    const five = data.rows.find((r) => r.classId === cls)!;
    expect(five.counts).toMatchObject({ n5: 1, nNa: 1 });
    expect(denominator(five.counts)).toBe(2);
    // 5, 4 (one double mark: both count) and 3; «н/а» and «осв» are not numbers.
    expect(five.weightedSum / five.weightSum).toBe(4);
  });
});
